/**
 * Matched spansets → Tempo's search JSON (`tempopb.SearchResponse` in proto3 JSON form: int64
 * fields as strings, trace ids with leading zeros trimmed as Tempo's TraceIDToHexString does).
 * Pure; engine.ts feeds it.
 */
import type { AttrValue, QuerySpan } from './storage.ts';
import type { Attribute, FieldExpression, Intrinsic, IntrinsicName, Pipeline, RootExpr, ScalarExpression, SpansetExpression } from './ast.ts';
import { evaluateField, rawAttribute } from './evaluate-field.ts';
import type { Spanset } from './evaluate-pipeline.ts';
import type { TraceIndex } from './trace-index.ts';
import { valueToAnyValue } from './value-json.ts';

/** OTLP AnyValue in proto3 JSON. */
export interface AnyValueJson {
  stringValue?: string;
  /** int64, as a decimal string. */
  intValue?: string;
  doubleValue?: number;
  boolValue?: boolean;
  arrayValue?: { values: AnyValueJson[] };
  kvlistValue?: { values: KeyValueJson[] };
}

export interface KeyValueJson {
  key: string;
  value: AnyValueJson;
}

export interface SearchSpan {
  spanID: string;
  name: string;
  startTimeUnixNano: string;
  durationNanos: string;
  /** The attributes and intrinsics the query referenced (and `select`ed) that the span has. */
  attributes: KeyValueJson[];
}

export interface SearchSpanSet {
  /** At most `spss` spans, earliest first. */
  spans: SearchSpan[];
  /** How many spans matched in all. */
  matched: number;
  attributes?: KeyValueJson[];
}

export interface ServiceStats {
  spanCount: number;
  /** Omitted when 0, as proto3 JSON does. */
  errorCount?: number;
}

export interface TraceSearchMetadata {
  traceID: string;
  /** `<root span not yet received>` when the root span is missing. */
  rootServiceName: string;
  /** Absent when the root span is missing (Tempo leaves it empty). */
  rootTraceName?: string;
  startTimeUnixNano: string;
  durationMs: number;
  spanSets: SearchSpanSet[];
  /** The first of spanSets, kept by Tempo for older Grafana versions. */
  spanSet: SearchSpanSet;
  serviceStats: Record<string, ServiceStats>;
}

/** Tempo's SearchMetrics; like Go's jsonpb, zero counts are left out. */
export interface SearchMetrics {
  inspectedTraces: number;
  /** Spans of the inspected traces; uint64, as a string. */
  inspectedSpans?: string;
  completedJobs: number;
  totalJobs: number;
}

export interface SearchResponse {
  traces: TraceSearchMetadata[];
  metrics: SearchMetrics;
}

/** Tempo's text for a trace whose root span has not been stored yet. */
export const ROOT_SPAN_NOT_YET_RECEIVED = '<root span not yet received>';

// Already shown as span fields or trace-level fields, so not repeated as attributes.
const NOT_SHOWN = new Set<IntrinsicName>([
  'name', 'duration', 'spanID', 'traceID', 'rootName', 'rootServiceName', 'traceDuration',
  'eventName', 'eventTimeSinceStart', 'linkTraceID', 'linkSpanID',
]);

/** The fields a query's results show per span, in query order, one per key. */
export function shownFields(root: RootExpr): Array<Attribute | Intrinsic> {
  const out = new Map<string, Attribute | Intrinsic>();
  const add = (f: Attribute | Intrinsic) => {
    if (f.type === 'intrinsic' && NOT_SHOWN.has(f.name)) return;
    if (f.type === 'attribute' && (f.scope === 'event' || f.scope === 'link' || f.parent)) return;
    const key = f.name;
    if (!out.has(key)) out.set(key, f);
  };
  const field = (e: FieldExpression): void => {
    if (e.type === 'attribute' || e.type === 'intrinsic') add(e);
    else if (e.type === 'binary') {
      field(e.lhs);
      field(e.rhs);
    } else if (e.type === 'unary' || e.type === 'exists' || e.type === 'missing') field(e.expr);
  };
  const scalar = (e: ScalarExpression): void => {
    if (e.type === 'aggregate' && e.expr) field(e.expr);
    else if (e.type === 'scalarOperation') {
      scalar(e.lhs);
      scalar(e.rhs);
    } else if (e.type === 'pipeline') pipeline(e);
  };
  const spanset = (e: SpansetExpression): void => {
    if (e.type === 'spansetFilter') field(e.expr);
    else if (e.type === 'spansetOperation') {
      spanset(e.lhs);
      spanset(e.rhs);
    } else pipeline(e);
  };
  const pipeline = (p: Pipeline): void => {
    for (const el of p.elements) {
      if (el.type === 'spansetFilter' || el.type === 'spansetOperation' || el.type === 'pipeline') spanset(el);
      else if (el.type === 'scalarFilter') {
        scalar(el.lhs);
        scalar(el.rhs);
      } else if (el.type === 'aggregate') scalar(el);
      else if (el.type === 'select') el.fields.forEach(add);
      else if (el.type === 'by') field(el.expr);
    }
  };
  pipeline(root.pipeline);
  return [...out.values()];
}

/** Tempo's trace id form: lower-case hex without leading zeros. */
export function searchTraceId(hex: string): string {
  return hex.toLowerCase().replace(/^0+/, '') || '0';
}

/** One trace of the response. `spansets` must be non-empty. */
export function traceSearchMetadata(
  ti: TraceIndex,
  spansets: Spanset[],
  spss: number,
  fields: Array<Attribute | Intrinsic>,
): TraceSearchMetadata {
  const spanSets = spansets.map((ss) => spanSetJson(ss, ti, spss, fields));
  return {
    traceID: searchTraceId(ti.trace.traceId),
    rootServiceName: ti.root?.serviceName || ROOT_SPAN_NOT_YET_RECEIVED,
    ...(ti.root ? { rootTraceName: ti.root.name } : {}),
    startTimeUnixNano: ti.startUnixNano.toString(),
    durationMs: Math.floor(ti.durationNanos / 1e6),
    spanSets,
    spanSet: spanSets[0],
    serviceStats: serviceStats(ti),
  };
}

function spanSetJson(ss: Spanset, ti: TraceIndex, spss: number, fields: Array<Attribute | Intrinsic>): SearchSpanSet {
  const sorted = [...ss.spans].sort((a, b) =>
    a.startTimeUnixNano < b.startTimeUnixNano ? -1 : a.startTimeUnixNano > b.startTimeUnixNano ? 1 : a.spanId < b.spanId ? -1 : 1,
  );
  const out: SearchSpanSet = { spans: sorted.slice(0, spss).map((s) => spanJson(s, ti, fields)), matched: ss.spans.length };
  if (ss.attributes?.length) out.attributes = ss.attributes.map((a) => ({ key: a.key, value: valueToAnyValue(a.value) }));
  return out;
}

function spanJson(span: QuerySpan, ti: TraceIndex, fields: Array<Attribute | Intrinsic>): SearchSpan {
  const attributes: KeyValueJson[] = [];
  for (const f of fields) {
    if (f.type === 'attribute') {
      const raw = rawAttribute(f, span);
      const value = raw === undefined ? undefined : anyValue(raw);
      if (value) attributes.push({ key: f.name, value });
      continue;
    }
    const v = evaluateField(f, span, ti);
    if (v.t === 'string' ? v.v !== '' : v.t === 'status' || v.t === 'kind') {
      attributes.push({ key: f.name, value: { stringValue: String((v as { v: unknown }).v) } });
    }
  }
  return {
    spanID: span.spanId.padStart(16, '0'),
    name: span.name,
    startTimeUnixNano: span.startTimeUnixNano.toString(),
    durationNanos: String(span.durationNanos),
    attributes,
  };
}

/** A stored attribute value in proto3 JSON; null becomes undefined (nothing to show). */
export function anyValue(v: AttrValue): AnyValueJson | undefined {
  if (v === null) return undefined;
  switch (typeof v) {
    case 'string':
      return { stringValue: v };
    case 'boolean':
      return { boolValue: v };
    case 'bigint':
      return { intValue: v.toString() };
    case 'number':
      return Number.isInteger(v) ? { intValue: String(v) } : { doubleValue: v };
    default:
      if (Array.isArray(v)) return { arrayValue: { values: v.map(anyValue).filter((x): x is AnyValueJson => !!x) } };
      return {
        kvlistValue: {
          values: Object.entries(v).flatMap(([key, val]) => {
            const value = anyValue(val);
            return value ? [{ key, value }] : [];
          }),
        },
      };
  }
}

function serviceStats(ti: TraceIndex): Record<string, ServiceStats> {
  const stats: Record<string, ServiceStats> = {};
  for (const span of ti.trace.spans) {
    if (span.serviceName === '') continue;
    const s = (stats[span.serviceName] ??= { spanCount: 0 });
    s.spanCount++;
    if (span.statusCode === 2) s.errorCount = (s.errorCount ?? 0) + 1;
  }
  return stats;
}
