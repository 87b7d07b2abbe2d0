/** Tempo search results as table rows, newest first. */
import type { SearchResponse, SearchTrace, SpanSet } from './tempo-types.ts';
import { attrsToDisplay, findAttr, type DisplayAttr } from './any-value.ts';
import { idToHex, isTraceIdHex, normalizeTraceId } from './ids.ts';
import { toNanos } from './format.ts';

/** A span a query matched, as its span set returned it. */
export interface MatchedSpan {
  spanId: string;
  name: string;
  /** From the span's `service.name` attribute, when the query asked for it; else ''. */
  service: string;
  /** Exact (the span set carries nanoseconds); undefined when absent. */
  durationNs: number | undefined;
  startUnixNano: string;
  /** The other attributes the query referenced or `select()`ed. */
  attributes: DisplayAttr[];
}

/** One span set: the spans returned (at most `spss` of them) and how many matched. */
export interface MatchedSet {
  matched: number;
  spans: MatchedSpan[];
  /** Span-set attributes (e.g. a `by()` value or an aggregate). */
  attributes: DisplayAttr[];
}

export interface ResultRow {
  traceId: string;
  rootService: string;
  rootName: string;
  startUnixNano: string;
  durationMs: number | undefined;
  /** Spans that matched the query, summed over the span sets. */
  matched: number;
  /** Spans in the whole trace (from `serviceStats`); undefined when the server does not say. */
  spanCount: number | undefined;
  /** Error spans in the whole trace, as far as the response tells (see `errorCount`). */
  errorCount: number;
  /** The trace has at least one error span. */
  hasError: boolean;
  /** Services of the trace (from `serviceStats`), root service first. */
  services: string[];
  /** What the query matched, set by set. */
  spanSets: MatchedSet[];
}

const SERVICE_KEYS = ['service.name', 'resource.service.name'];

function matchedSet(set: SpanSet): MatchedSet {
  const spans = (set.spans ?? []).map((sp) => {
    const all = attrsToDisplay(sp.attributes);
    const nanos = sp.durationNanos === undefined || sp.durationNanos === '' ? undefined : Number(sp.durationNanos);
    return {
      spanId: idToHex(sp.spanID).padStart(16, '0'),
      name: sp.name ?? '',
      service: all.find((a) => SERVICE_KEYS.includes(a.key))?.value ?? '',
      durationNs: nanos !== undefined && Number.isFinite(nanos) ? nanos : undefined,
      startUnixNano: sp.startTimeUnixNano ?? '',
      attributes: all.filter((a) => !SERVICE_KEYS.includes(a.key)),
    };
  });
  return { matched: set.matched ?? spans.length, spans, attributes: attrsToDisplay(set.attributes) };
}

function spanSetsOf(t: SearchTrace): SpanSet[] {
  if (t.spanSets?.length) return t.spanSets;
  return t.spanSet ? [t.spanSet] : [];
}

/**
 * Error spans of a trace. Tempo's `serviceStats[*].errorCount` counts the whole trace whatever
 * the query was; older servers lack it, so a returned span carrying `status = error` (present
 * when the query asked about status) still counts as one.
 */
function errorCount(t: SearchTrace, sets: SpanSet[]): number {
  const fromStats = Object.values(t.serviceStats ?? {}).reduce((n, s) => n + (Number(s?.errorCount) || 0), 0);
  if (fromStats > 0) return fromStats;
  let fromSpans = 0;
  for (const s of sets) for (const sp of s.spans ?? []) if (findAttr(sp.attributes, 'status') === 'error') fromSpans++;
  return fromSpans;
}

function spanCount(t: SearchTrace): number | undefined {
  const stats = Object.values(t.serviceStats ?? {});
  return stats.length ? stats.reduce((n, s) => n + (Number(s?.spanCount) || 0), 0) : undefined;
}

function toRow(t: SearchTrace): ResultRow {
  const sets = spanSetsOf(t);
  const matched = sets.reduce((n, s) => n + (s.matched ?? s.spans?.length ?? 0), 0);
  const errors = errorCount(t, sets);
  const root = t.rootServiceName ?? '';
  const services = Object.keys(t.serviceStats ?? {}).sort((a, b) => (a === root ? -1 : b === root ? 1 : a.localeCompare(b)));
  return {
    traceId: normalizeTraceId(t.traceID),
    rootService: t.rootServiceName ?? '',
    rootName: t.rootTraceName ?? '',
    startUnixNano: t.startTimeUnixNano ?? '',
    durationMs: t.durationMs,
    matched,
    spanCount: spanCount(t),
    errorCount: errors,
    hasError: errors > 0,
    services,
    spanSets: sets.map(matchedSet),
  };
}

/** Rows for the results table: invalid ids dropped, newest trace first. */
export function resultRows(body: SearchResponse): ResultRow[] {
  return (body.traces ?? [])
    .filter((t) => typeof t.traceID === 'string' && isTraceIdHex(t.traceID))
    .map(toRow)
    .sort((a, b) => {
      const d = toNanos(b.startUnixNano) - toNanos(a.startUnixNano);
      return d > 0n ? 1 : d < 0n ? -1 : 0;
    });
}
