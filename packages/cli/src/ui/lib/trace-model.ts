/**
 * Tempo's trace JSON (OTLP resourceSpans) as the tree the trace page draws: hex ids, children
 * sorted by start, depth, orphans (parent not in the trace) at top level, a colour slot per
 * service. Times become offsets in nanoseconds from the trace's first start, which fit a double.
 */
import type { KeyValue, OtlpResourceSpans, OtlpSpan, TraceByIdResponse } from './tempo-types.ts';
import { anyValueToText, attrsToDisplay, findAttr, type DisplayAttr } from './any-value.ts';
import { idToHex } from './ids.ts';
import { toNanos } from './format.ts';

export type SpanKindName = 'unspecified' | 'internal' | 'server' | 'client' | 'producer' | 'consumer';
export type StatusName = 'unset' | 'ok' | 'error';

/** How many colours styles.css defines (`.svc-0` … `.svc-11`). */
export const SERVICE_COLOURS = 12;

export interface UiEvent {
  name: string;
  /** Nanoseconds after the span's start. */
  offsetNs: number;
  attributes: DisplayAttr[];
}

export interface UiLink {
  traceId: string;
  spanId: string;
  attributes: DisplayAttr[];
}

export interface UiSpan {
  spanId: string;
  /** '' for a root. */
  parentSpanId: string;
  traceId: string;
  name: string;
  kind: SpanKindName;
  serviceName: string;
  /** Index into UiTrace.services; picks the colour class. */
  serviceIndex: number;
  status: StatusName;
  statusMessage: string;
  startUnixNano: bigint;
  /** Nanoseconds after the trace's first start. */
  startOffsetNs: number;
  durationNs: number;
  attributes: DisplayAttr[];
  resource: DisplayAttr[];
  scopeName: string;
  scopeVersion: string;
  events: UiEvent[];
  links: UiLink[];
  children: UiSpan[];
  parent: UiSpan | undefined;
  depth: number;
  /** It names a parent that is not in the trace (not yet arrived, or lost). */
  isOrphan: boolean;
  /** Lower-case name, service, span id and attribute keys and values, NUL-separated: what span search looks in. */
  readonly searchText: string;
}

export interface UiTrace {
  traceId: string;
  /** Top-level spans: real roots first, then orphans; each group by start time. */
  roots: UiSpan[];
  /** Every span in depth-first tree order. */
  spans: UiSpan[];
  byId: Map<string, UiSpan>;
  startUnixNano: bigint;
  durationNs: number;
  /** Service names in first-seen tree order; index = colour slot (mod SERVICE_COLOURS). */
  services: string[];
  errorCount: number;
}

const KIND_NAMES: SpanKindName[] = ['unspecified', 'internal', 'server', 'client', 'producer', 'consumer'];

/** "SPAN_KIND_SERVER" or 2 → 'server'. */
export function kindName(kind: string | number | undefined): SpanKindName {
  if (typeof kind === 'number') return KIND_NAMES[kind] ?? 'unspecified';
  const k = (kind ?? '').toLowerCase().replace(/^span_kind_/, '');
  return (KIND_NAMES as string[]).includes(k) ? (k as SpanKindName) : 'unspecified';
}

/** "STATUS_CODE_ERROR" or 2 → 'error'. */
export function statusName(code: string | number | undefined): StatusName {
  if (code === 2 || code === 'STATUS_CODE_ERROR' || code === 'ERROR' || code === 'error') return 'error';
  if (code === 1 || code === 'STATUS_CODE_OK' || code === 'OK' || code === 'ok') return 'ok';
  return 'unset';
}

interface RawSpan {
  span: OtlpSpan;
  resource: KeyValue[];
  scopeName: string;
  scopeVersion: string;
}

function* rawSpans(batches: OtlpResourceSpans[]): Generator<RawSpan> {
  for (const rs of batches) {
    const resource = rs.resource?.attributes ?? [];
    for (const ss of rs.scopeSpans ?? rs.instrumentationLibrarySpans ?? []) {
      for (const span of ss.spans ?? []) {
        yield { span, resource, scopeName: ss.scope?.name ?? '', scopeVersion: ss.scope?.version ?? '' };
      }
    }
  }
}

/** The resourceSpans of any of Tempo's trace-by-id answers (v2 `trace`, v1 `batches`, bare OTLP). */
export function resourceSpansOf(body: TraceByIdResponse): OtlpResourceSpans[] {
  const inner = body.trace ?? body;
  return inner.resourceSpans ?? inner.batches ?? [];
}

/**
 * Builds the span tree of one trace.
 * @param fallbackTraceId used when the spans carry no trace id (the id the page asked for).
 */
export function buildTrace(body: TraceByIdResponse, fallbackTraceId = ''): UiTrace {
  const raws = [...rawSpans(resourceSpansOf(body))];
  let minStart: bigint | undefined;
  let maxEnd: bigint | undefined;
  for (const { span } of raws) {
    const s = toNanos(span.startTimeUnixNano);
    const e = toNanos(span.endTimeUnixNano);
    if (minStart === undefined || s < minStart) minStart = s;
    const end = e > s ? e : s;
    if (maxEnd === undefined || end > maxEnd) maxEnd = end;
  }
  const traceStart = minStart ?? 0n;

  const byId = new Map<string, UiSpan>();
  const all: UiSpan[] = [];
  const resources = new Map<KeyValue[], ResourceFacts>();
  for (const raw of raws) {
    const ui = toUiSpan(raw, resourceFacts(resources, raw.resource), traceStart, fallbackTraceId);
    // A duplicate span id (a retried export) keeps the first copy.
    if (!ui.spanId || byId.has(ui.spanId)) continue;
    byId.set(ui.spanId, ui);
    all.push(ui);
  }

  const roots: UiSpan[] = [];
  const orphans: UiSpan[] = [];
  for (const span of all) {
    const parent = span.parentSpanId && span.parentSpanId !== span.spanId ? byId.get(span.parentSpanId) : undefined;
    if (parent) {
      span.parent = parent;
      parent.children.push(span);
    } else if (span.parentSpanId) {
      span.isOrphan = true;
      orphans.push(span);
    } else {
      roots.push(span);
    }
  }
  const byStart = (a: UiSpan, b: UiSpan) => a.startOffsetNs - b.startOffsetNs || a.durationNs - b.durationNs;
  roots.sort(byStart);
  orphans.sort(byStart);
  const top = [...roots, ...orphans];

  const ordered: UiSpan[] = [];
  const visited = new Set<UiSpan>();
  const walk = (start: UiSpan) => {
    // Iterative so that a very deep chain cannot overflow the stack.
    const stack: [UiSpan, number][] = [[start, 0]];
    while (stack.length) {
      const [span, depth] = stack.pop()!;
      if (visited.has(span)) continue;
      visited.add(span);
      span.depth = depth;
      ordered.push(span);
      span.children.sort(byStart);
      for (let i = span.children.length - 1; i >= 0; i--) stack.push([span.children[i], depth + 1]);
    }
  };
  for (const span of top) walk(span);
  // Spans in a parent cycle are reachable from no root: show them at top level as orphans.
  for (const span of all) {
    if (visited.has(span)) continue;
    span.parent?.children.splice(span.parent.children.indexOf(span), 1);
    span.parent = undefined;
    span.isOrphan = true;
    top.push(span);
    walk(span);
  }

  const services: string[] = [];
  const serviceIndex = new Map<string, number>();
  let errorCount = 0;
  for (const span of ordered) {
    let idx = serviceIndex.get(span.serviceName);
    if (idx === undefined) {
      idx = services.length;
      services.push(span.serviceName);
      serviceIndex.set(span.serviceName, idx);
    }
    span.serviceIndex = idx;
    if (span.status === 'error') errorCount++;
  }

  return {
    traceId: ordered[0]?.traceId || fallbackTraceId,
    roots: top,
    spans: ordered,
    byId,
    startUnixNano: traceStart,
    durationNs: minStart === undefined || maxEnd === undefined ? 0 : Number(maxEnd - minStart),
    services,
    errorCount,
  };
}

/** A resource's display attributes and service name, worked out once for all its spans. */
interface ResourceFacts {
  serviceName: string;
  display: DisplayAttr[] | undefined;
  raw: KeyValue[];
}

/**
 * A span of the tree. Attributes, events and links are converted for display only when read
 * (span details, span search): building a 50,000-span trace would otherwise format every
 * attribute of every span before the first row could be drawn.
 */
class TreeSpan implements UiSpan {
  serviceIndex = 0;
  children: UiSpan[] = [];
  parent: UiSpan | undefined = undefined;
  depth = 0;
  isOrphan = false;
  private attrsCache: DisplayAttr[] | undefined;
  private eventsCache: UiEvent[] | undefined;
  private linksCache: UiLink[] | undefined;
  private searchCache: string | undefined;

  constructor(
    private readonly raw: OtlpSpan,
    private readonly res: ResourceFacts,
    readonly spanId: string,
    readonly parentSpanId: string,
    readonly traceId: string,
    readonly startUnixNano: bigint,
    readonly startOffsetNs: number,
    readonly durationNs: number,
    readonly scopeName: string,
    readonly scopeVersion: string,
  ) {}

  get name(): string {
    return this.raw.name ?? '';
  }
  get kind(): SpanKindName {
    return kindName(this.raw.kind);
  }
  get serviceName(): string {
    return this.res.serviceName;
  }
  get status(): StatusName {
    return statusName(this.raw.status?.code);
  }
  get statusMessage(): string {
    return this.raw.status?.message ?? '';
  }
  get attributes(): DisplayAttr[] {
    return (this.attrsCache ??= attrsToDisplay(this.raw.attributes));
  }
  get resource(): DisplayAttr[] {
    return (this.res.display ??= attrsToDisplay(this.res.raw));
  }
  get events(): UiEvent[] {
    return (this.eventsCache ??= (this.raw.events ?? [])
      .map((e) => ({ name: e.name ?? '', offsetNs: Number(toNanos(e.timeUnixNano) - this.startUnixNano), attributes: attrsToDisplay(e.attributes) }))
      .sort((a, b) => a.offsetNs - b.offsetNs));
  }
  get searchText(): string {
    if (this.searchCache === undefined) {
      // Straight from the raw attributes: no sorting, and built once for every later search.
      const parts = [this.name, this.serviceName, this.spanId];
      for (const kv of this.raw.attributes ?? []) parts.push(String(kv.key ?? ''), anyValueToText(kv.value));
      this.searchCache = parts.join('\u0000').toLowerCase();
    }
    return this.searchCache;
  }
  get links(): UiLink[] {
    return (this.linksCache ??= (this.raw.links ?? []).map((l) => ({
      traceId: idToHex(l.traceId),
      spanId: idToHex(l.spanId),
      attributes: attrsToDisplay(l.attributes),
    })));
  }
}

function resourceFacts(cache: Map<KeyValue[], ResourceFacts>, resource: KeyValue[]): ResourceFacts {
  let facts = cache.get(resource);
  if (!facts) cache.set(resource, (facts = { serviceName: findAttr(resource, 'service.name') ?? '', display: undefined, raw: resource }));
  return facts;
}

function toUiSpan(raw: RawSpan, res: ResourceFacts, traceStart: bigint, fallbackTraceId: string): UiSpan {
  const { span } = raw;
  const start = toNanos(span.startTimeUnixNano);
  const end = toNanos(span.endTimeUnixNano);
  return new TreeSpan(
    span,
    res,
    idToHex(span.spanId),
    idToHex(span.parentSpanId),
    idToHex(span.traceId) || fallbackTraceId,
    start,
    Number(start - traceStart),
    end > start ? Number(end - start) : 0,
    raw.scopeName,
    raw.scopeVersion,
  );
}

/**
 * The rows to draw: depth-first order, skipping the descendants of collapsed spans.
 * O(number of spans), so it can run on every toggle.
 */
export function visibleSpans(trace: UiTrace, collapsed: ReadonlySet<string>): UiSpan[] {
  if (collapsed.size === 0) return trace.spans;
  const out: UiSpan[] = [];
  let skipBelowDepth = -1;
  for (const span of trace.spans) {
    if (skipBelowDepth >= 0) {
      if (span.depth > skipBelowDepth) continue;
      skipBelowDepth = -1;
    }
    out.push(span);
    if (collapsed.has(span.spanId) && span.children.length > 0) skipBelowDepth = span.depth;
  }
  return out;
}

/**
 * Builds every span's search text while the browser is idle, a few milliseconds at a time, so
 * the first search of a 50,000-span trace does not stall on decoding all its attributes.
 * Returns a function that stops it.
 */
export function prepareSearch(trace: UiTrace): () => void {
  let i = 0;
  let handle = 0;
  const idle = typeof requestIdleCallback === 'function';
  const step = (deadline?: IdleDeadline) => {
    const until = performance.now() + 8;
    while (i < trace.spans.length && (deadline ? deadline.timeRemaining() > 1 : performance.now() < until)) void trace.spans[i++].searchText;
    if (i < trace.spans.length) handle = idle ? requestIdleCallback(step) : (setTimeout(step, 0) as unknown as number);
  };
  handle = idle ? requestIdleCallback(step) : (setTimeout(step, 0) as unknown as number);
  return () => (idle ? cancelIdleCallback(handle) : clearTimeout(handle));
}

/** Ids of spans whose name, service, id or an attribute key or value contains `query` (case-insensitive). */
export function matchingSpans(trace: UiTrace, query: string): Set<string> {
  const q = query.trim().toLowerCase();
  const out = new Set<string>();
  if (!q) return out;
  for (const span of trace.spans) if (span.searchText.includes(q)) out.add(span.spanId);
  return out;
}
