/** The Tempo-compatible query API: routes, server and the contracts it reads through. */
export { createQueryApi } from './server.ts';
export type { QueryApi, QueryApiOptions } from './server.ts';
export type { ApiTagCatalog, QueryApiDeps, SearchEngine, SearchRequest, TimeRange, TraceReader } from './types.ts';
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
} from './errors.ts';
export { parseGoDuration, parseTraceIdHex } from './params.ts';
export { traceJsonV1, traceJsonV2, traceProtoV1, traceProtoV2, tempoTypes } from './trace-codec.ts';
export { TEMPO_COMPATIBLE_VERSION } from './status.ts';
export { CONTENT_SECURITY_POLICY } from './respond.ts';
export { DEFAULT_UI_DIR } from './static-ui.ts';
