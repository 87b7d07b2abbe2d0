/**
 * The TraceQL metrics side of the streaming API: `MetricsQueryRange` and `MetricsQueryInstant`.
 * The metrics engine itself is not here. It plugs in as a {@link TraceqlMetrics}: the same two
 * functions `/api/metrics/query_range` and `/api/metrics/query` answer with, given the query
 * parameters a stream's request turns into (requests.ts), returning Tempo's JSON object.
 * Without one, both calls answer UNIMPLEMENTED, as the HTTP routes answer 404.
 */

/** The TraceQL metrics engine, as the streaming API calls it. */
export interface TraceqlMetrics {
  /**
   * `/api/metrics/query_range` for these parameters (`q`, `start`, `end`, `step`, `exemplars`,
   * times in unix nanoseconds): Tempo's `QueryRangeResponse` JSON (`series[].labels`,
   * `series[].samples[].{timestampMs,value}`, `series[].exemplars`, `metrics`). Throws an
   * ApiError (400 with the reason) for a bad query or parameter.
   */
  queryRange(params: URLSearchParams): Promise<unknown>;
  /** `/api/metrics/query` for these parameters (`q`, `start`, `end`): Tempo's `QueryInstantResponse` JSON. */
  queryInstant(params: URLSearchParams): Promise<unknown>;
}
