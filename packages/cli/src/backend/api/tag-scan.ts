/**
 * Spans for the autocomplete APIs when the tag catalog cannot answer alone: every span of the
 * newest traces, or (with `q=`) only the spans a TraceQL query matches. Matching reuses the
 * search engine: its fetcher is wrapped to remember the traces it yields, and the span ids of
 * the result pick the matching spans out of them.
 */
import type { FetchRequest, QuerySpan, QueryTrace, TraceFetcher } from '../query/storage.ts';
import type { SearchEngine, TimeRange } from './types.ts';

/** How many traces one autocomplete request looks at, at most. */
export const MAX_SCANNED_TRACES = 500;
/** Spans per trace taken from a filtered search's result. */
const MAX_MATCHED_SPANS_PER_TRACE = 100;

/** A span together with its trace. */
export interface ScannedSpan {
  span: QuerySpan;
  trace: QueryTrace;
}

interface SearchJson {
  traces?: Array<{
    traceID?: string;
    spanSet?: { spans?: Array<{ spanID?: string }> };
    spanSets?: Array<{ spans?: Array<{ spanID?: string }> }>;
  }>;
}

/** True for a `q=` that selects everything (Tempo treats these as no filter). */
export function isTrivialQuery(q: string): boolean {
  const compact = q.replace(/\s+/g, '');
  return compact === '' || compact === '{}' || compact === '{true}';
}

function fetchRequest(range: TimeRange): FetchRequest {
  const request: FetchRequest = {};
  if (range.startUnixNano !== undefined) request.startUnixNano = range.startUnixNano;
  if (range.endUnixNano !== undefined) request.endUnixNano = range.endUnixNano;
  return request;
}

/** Every span of the newest traces in `range`. */
export async function* scanAllSpans(fetcher: TraceFetcher, range: TimeRange): AsyncIterable<ScannedSpan> {
  let count = 0;
  for await (const trace of fetcher.fetchTraces(fetchRequest(range))) {
    for (const span of trace.spans) yield { span, trace };
    if (++count >= MAX_SCANNED_TRACES) return;
  }
}

/**
 * The spans `query` matches in `range`, or null when the query does not parse (Tempo then
 * ignores the filter rather than failing the autocomplete).
 */
export async function matchSpans(
  fetcher: TraceFetcher,
  engine: SearchEngine,
  query: string,
  range: TimeRange,
): Promise<ScannedSpan[] | null> {
  const seen = new Map<string, QueryTrace>();
  const recording: TraceFetcher = {
    async *fetchTraces(request) {
      for await (const trace of fetcher.fetchTraces(request)) {
        if (seen.size < MAX_SCANNED_TRACES * 4) seen.set(trace.traceId, trace);
        yield trace;
      }
    },
  };
  let result: SearchJson;
  try {
    result = (await engine.search(recording, {
      query,
      ...range,
      limit: MAX_SCANNED_TRACES,
      spss: MAX_MATCHED_SPANS_PER_TRACE,
    })) as SearchJson;
  } catch (err) {
    if (engine.isQueryError(err)) return null;
    throw err;
  }
  const out: ScannedSpan[] = [];
  for (const hit of result.traces ?? []) {
    // Tempo's search JSON trims leading zeros off trace ids.
    const trace = seen.get((hit.traceID ?? '').toLowerCase().padStart(32, '0'));
    if (!trace) continue;
    const byId = new Map(trace.spans.map((s) => [s.spanId, s]));
    const sets = hit.spanSets ?? (hit.spanSet ? [hit.spanSet] : []);
    for (const set of sets) {
      for (const { spanID } of set.spans ?? []) {
        const span = byId.get((spanID ?? '').toLowerCase().padStart(16, '0'));
        if (span) out.push({ span, trace });
      }
    }
  }
  return out;
}
