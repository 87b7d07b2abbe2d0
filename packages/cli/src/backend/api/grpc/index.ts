/**
 * Tempo's gRPC streaming query API on the query port: the connection router that lets HTTP/1.1
 * and gRPC share the port, and the `tempopb.StreamingQuerier` service behind it.
 */
export { HTTP2_PREFACE, classify, routeHttp2Connections } from './connection-router.ts';
export type { ConnectionRouter, Verdict } from './connection-router.ts';
export { createStreamingQuerier } from './streaming-querier.ts';
export type { StreamingQuerier, StreamingQuerierOptions } from './streaming-querier.ts';
export type { TraceqlMetrics } from './metrics-stream.ts';
export { DEFAULT_PROGRESS_INTERVAL_MS, MAX_JOBS, MIN_JOB_NANOS, planSearchJobs, streamSearch } from './search-stream.ts';
export type { SearchJob, SearchResponseJson, SearchStreamOptions } from './search-stream.ts';
export {
  STREAMING_QUERIER,
  TEMPO_PROTO_FILE,
  TEMPO_PROTO_INCLUDE_DIRS,
  TEMPO_PROTO_OPTIONS,
  streamingQuerierService,
} from './tempo-service.ts';
export type { StreamingQuerierService } from './tempo-service.ts';
