/** The Tempo-compatible query API: routes, server and the contracts it reads through. */
export { createQueryApi } from './server.ts';
export type { QueryApi, QueryApiOptions } from './server.ts';
export { createStreamingQuerier, routeHttp2Connections } from './grpc/index.ts';
export type { StreamingQuerier, StreamingQuerierOptions, TraceqlMetrics } from './grpc/index.ts';
export type {
  ApiTagCatalog,
  MetricsInstantRequest,
  MetricsQueryEngine,
  MetricsRangeRequest,
  QueryApiDeps,
  SearchEngine,
  SearchRequest,
  TimeRange,
  TraceReader,
} from './types.ts';
export { LOG_LEVEL_NAMES, parseLogSearch } from './logs.ts';
export type { ApiLogLevel, LogReader, LogSearchRequest } from './logs.ts';
export type { MetricsSource } from './metrics.ts';
export type { ServiceGraphSource } from './service-graph.ts';
export { RED_MAX_TRACES } from './red.ts';
export { RedAccumulator, percentileOfSorted } from './red-stats.ts';
export type { RedExample, RedRow } from './red-stats.ts';
export {
  ApiError,
  API_ERRORS,
  BadParamError,
  BadQueryError,
  BadTraceIdError,
  ListenError,
  MethodNotAllowedError,
  RouteNotFoundError,
  TraceNotFoundError,
  UnauthorizedError,
} from './errors.ts';
export { parseGoDuration, parseTraceIdHex } from './params.ts';
export { traceJsonV1, traceJsonV2, traceProtoV1, traceProtoV2, tempoTypes } from './trace-codec.ts';
export { TEMPO_COMPATIBLE_VERSION } from './status.ts';
export { CONTENT_SECURITY_POLICY } from './respond.ts';
export { DEFAULT_UI_DIR, staticUiHandler } from './static-ui.ts';
