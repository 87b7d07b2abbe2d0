/**
 * Runs a TraceQL search over a TraceFetcher: the only stage that touches storage. Parses and
 * validates the query, asks the fetcher for candidates with safe hints, evaluates each trace
 * and shapes Tempo's search response, stopping once `limit` traces matched.
 */
import type { TraceFetcher } from './storage.ts';
import type { RootExpr } from './ast.ts';
import { stringify } from './ast-stringer.ts';
import { validate } from './ast-validate.ts';
import { columnsFor } from './columns.ts';
import { fetchRequestFor } from './conditions.ts';
import { InvalidQueryError, TraceQLError } from './errors.ts';
import { evaluateQuery } from './evaluate-pipeline.ts';
import {
  evaluateMetricsQueryInstant,
  evaluateMetricsQueryRange,
  type MetricsQueryInstantRequest,
  type MetricsQueryRangeRequest,
} from './metrics/index.ts';
import type { QueryInstantResponse, QueryRangeResponse } from './metrics/index.ts';
import { parse } from './parser.ts';
import { shownFields, traceSearchMetadata, type SearchResponse, type TraceSearchMetadata } from './search-response.ts';
import { tagsToQuery } from './tags-to-query.ts';
import { indexTrace } from './trace-index.ts';

/** Tempo's defaults for `limit` and `spss`. */
export const DEFAULT_LIMIT = 20;
export const DEFAULT_SPANS_PER_SPAN_SET = 3;
/**
 * The scan budget: a search stops after inspecting this many candidate traces even if it found
 * fewer than `limit`, and says how far it got in `metrics.inspectedTraces`. A trace costs tens of
 * microseconds to inspect, so this keeps a search that matches almost nothing under a second or
 * so instead of reading the whole store (Tempo bounds its searches by blocks and bytes instead).
 */
export const DEFAULT_MAX_INSPECTED_TRACES = 20_000;

export interface SearchParams {
  /** TraceQL text, or an already built query; empty or absent means `{}`. */
  query?: string | RootExpr;
  /** Only traces overlapping [start, end] (unix nanos). */
  startUnixNano?: bigint;
  endUnixNano?: bigint;
  /** Most traces to return (default 20). */
  limit?: number;
  /** Most spans shown per spanset (default 3); `matched` still counts all. */
  spss?: number;
  /** Bounds on the trace duration, inclusive. */
  minDurationNanos?: number;
  maxDurationNanos?: number;
  /** The scan budget (default {@link DEFAULT_MAX_INSPECTED_TRACES}). */
  maxInspectedTraces?: number;
}

/** Parses (empty = `{}`) and validates a query. Throws TraceQLError subclasses. */
export function compileQuery(query: string | RootExpr | undefined): RootExpr {
  const root = typeof query === 'string' ? parse(query.trim() === '' ? '{}' : query) : (query ?? parse('{}'));
  validate(root);
  return root;
}

/**
 * Searches `fetcher` and returns Tempo's search JSON, newest trace first.
 * Throws TraceQLParseError / TraceQLValidationError / TraceQLUnsupportedError for bad queries.
 *
 * @example
 *   const res = await executeSearch(store, { query: '{ status = error } | count() > 1', limit: 20 });
 */
export async function executeSearch(fetcher: TraceFetcher, params: SearchParams = {}): Promise<SearchResponse> {
  const root = compileQuery(params.query);
  const limit = positive(params.limit, DEFAULT_LIMIT);
  const spss = positive(params.spss, DEFAULT_SPANS_PER_SPAN_SET);
  const fields = shownFields(root);
  const budget = positive(params.maxInspectedTraces, DEFAULT_MAX_INSPECTED_TRACES);
  // Only the span fields the query reads are decoded.
  const request = { ...fetchRequestFor(root, params), columns: columnsFor(root) };
  const traces: TraceSearchMetadata[] = [];
  let inspectedTraces = 0;
  let inspectedSpans = 0;
  for await (const trace of fetcher.fetchTraces(request)) {
    if (inspectedTraces >= budget) break;
    inspectedTraces++;
    inspectedSpans += trace.spans.length;
    if (trace.spans.length === 0) continue;
    const ti = indexTrace(trace);
    // The store may return more than asked for; the search bounds are enforced here.
    if (params.startUnixNano !== undefined && ti.endUnixNano < params.startUnixNano) continue;
    if (params.endUnixNano !== undefined && ti.startUnixNano > params.endUnixNano) continue;
    if (params.minDurationNanos !== undefined && ti.durationNanos < params.minDurationNanos) continue;
    if (params.maxDurationNanos !== undefined && ti.durationNanos > params.maxDurationNanos) continue;
    const spansets = evaluateQuery(root, ti);
    if (spansets.length === 0) continue;
    traces.push(traceSearchMetadata(ti, spansets, spss, fields));
    if (traces.length >= limit) break;
  }
  traces.sort((a, b) => compareDecimal(b.startTimeUnixNano, a.startTimeUnixNano));
  const metrics = { inspectedTraces, ...(inspectedSpans > 0 ? { inspectedSpans: String(inspectedSpans) } : {}), completedJobs: 1, totalJobs: 1 };
  return { traces, metrics };
}

function positive(n: number | undefined, fallback: number): number {
  return n !== undefined && Number.isFinite(n) && n > 0 ? Math.floor(n) : fallback;
}

function compareDecimal(a: string, b: string): number {
  const x = BigInt(a);
  const y = BigInt(b);
  return x < y ? -1 : x > y ? 1 : 0;
}

/** True for errors that mean the client's query or tags are wrong (answer 400 with the message). */
export function isQueryError(err: unknown): err is TraceQLError {
  return err instanceof TraceQLError;
}

/**
 * The search engine as the query API consumes it: errors from a bad query come out as
 * InvalidQueryError, whose message is Tempo's 400 text (`invalid TraceQL query: parse error ...`).
 */
export const traceqlSearchEngine = {
  async search(fetcher: TraceFetcher, request: SearchParams): Promise<SearchResponse> {
    try {
      return await executeSearch(fetcher, request);
    } catch (err) {
      if (err instanceof TraceQLError && !(err instanceof InvalidQueryError)) throw new InvalidQueryError(err);
      throw err;
    }
  },
  /** `tags=` logfmt → TraceQL text. Throws TagsParseError. */
  tagsToQuery(tags: string): string {
    return stringify(tagsToQuery(tags));
  },
  isQueryError,
};

/** Rewords a bad query's error as Tempo's 400 text (`invalid TraceQL query: ...`). */
async function tempoWording<T>(run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (err) {
    if (err instanceof TraceQLError && !(err instanceof InvalidQueryError)) throw new InvalidQueryError(err);
    throw err;
  }
}

/** TraceQL metrics as the query API (and a gRPC MetricsQueryRange handler) consume them. */
export const traceqlMetricsEngine = {
  queryRange(fetcher: TraceFetcher, request: MetricsQueryRangeRequest): Promise<QueryRangeResponse> {
    return tempoWording(() => evaluateMetricsQueryRange(fetcher, request));
  },
  queryInstant(fetcher: TraceFetcher, request: MetricsQueryInstantRequest): Promise<QueryInstantResponse> {
    return tempoWording(() => evaluateMetricsQueryInstant(fetcher, request));
  },
  isQueryError,
};
