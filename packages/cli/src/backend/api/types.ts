/**
 * What the query API needs from the rest of the backend. The API declares these narrow
 * contracts itself (the store and the TraceQL package implement them; tests use fakes).
 */
import type { MetricsQueryInstantRequest, MetricsQueryRangeRequest } from '../query/metrics/index.ts';
import type { TagCatalog, TraceFetcher } from '../query/storage.ts';

/** A time window in unix nanoseconds; either end may be open. */
export interface TimeRange {
  startUnixNano?: bigint;
  endUnixNano?: bigint;
}

/** Reads one trace's stored body. */
export interface TraceReader {
  /** Encoded OTLP `TracesData` of the trace, or null when unknown (or outside `range`). */
  getTrace(traceIdHex: string, range?: TimeRange): Promise<Uint8Array | null>;
}

/** A parsed `/api/search` request, as the search engine takes it. */
export interface SearchRequest {
  /** TraceQL; absent means "every trace". */
  query?: string;
  startUnixNano?: bigint;
  endUnixNano?: bigint;
  limit: number;
  spss: number;
  minDurationNanos?: number;
  maxDurationNanos?: number;
}

/** The TraceQL side, as the API uses it. */
export interface SearchEngine {
  /** Runs a search over `fetcher` and returns Tempo's search JSON (`{traces, metrics}`). */
  search(fetcher: TraceFetcher, request: SearchRequest): Promise<unknown>;
  /** Turns a `tags=` logfmt string into the equivalent TraceQL; throws on bad logfmt. */
  tagsToQuery(tags: string): string;
  /** True when `err` means the client's query or tags are wrong; its message is answered with 400. */
  isQueryError(err: unknown): boolean;
}

/**
 * A `/api/metrics/query_range` and a `/api/metrics/query` request: the metrics engine's own request
 * types (tempopb.QueryRangeRequest, QueryInstantRequest), without its test clock.
 */
export type MetricsRangeRequest = Omit<MetricsQueryRangeRequest, 'nowUnixNano'>;
export type MetricsInstantRequest = Omit<MetricsQueryInstantRequest, 'nowUnixNano'>;

/** The TraceQL metrics side, as the API uses it. */
export interface MetricsQueryEngine {
  /** Tempo's QueryRangeResponse JSON. */
  queryRange(fetcher: TraceFetcher, request: MetricsRangeRequest): Promise<unknown>;
  /** Tempo's QueryInstantResponse JSON. */
  queryInstant(fetcher: TraceFetcher, request: MetricsInstantRequest): Promise<unknown>;
  /** True when `err` means the client's query is wrong; its message is answered with 400. */
  isQueryError(err: unknown): boolean;
}

/** The tag catalog, plus the list of span names when the store keeps one. */
export interface ApiTagCatalog extends TagCatalog {
  /** Distinct span names, sorted; without it the `name` intrinsic's values come from a scan. */
  spanNames?(options?: { limit?: number }): Promise<string[]>;
}

/** Everything the API reads from. */
export interface QueryApiDeps {
  traces: TraceReader;
  fetcher: TraceFetcher;
  catalog: ApiTagCatalog;
  engine: SearchEngine;
}
