/**
 * Every route and query-parameter name of the Tempo-compatible query API, in one place (Grafana
 * Tempo keeps the same list in `pkg/api/http.go`). Route patterns use find-my-way's `:param`
 * syntax; the `*` routes catch what no other route claims.
 */

/** Path parameter holding the hex trace id. */
export const URL_PARAM_TRACE_ID = 'traceID';
/** Path parameter holding a tag name (v1) or TraceQL identifier (v2). */
export const URL_PARAM_TAG_NAME = 'tagName';

// Query parameters.
export const URL_PARAM_QUERY = 'q';
export const URL_PARAM_TAGS = 'tags';
export const URL_PARAM_MIN_DURATION = 'minDuration';
export const URL_PARAM_MAX_DURATION = 'maxDuration';
export const URL_PARAM_LIMIT = 'limit';
export const URL_PARAM_START = 'start';
export const URL_PARAM_END = 'end';
export const URL_PARAM_SPANS_PER_SPAN_SET = 'spss';
export const URL_PARAM_SCOPE = 'scope';

export const MEDIA_PROTOBUF = 'application/protobuf';
export const MEDIA_JSON = 'application/json';

export const PATH_TRACES = `/api/traces/:${URL_PARAM_TRACE_ID}`;
export const PATH_TRACES_V2 = `/api/v2/traces/:${URL_PARAM_TRACE_ID}`;
export const PATH_SEARCH = '/api/search';
export const PATH_SEARCH_TAGS = '/api/search/tags';
export const PATH_SEARCH_TAGS_V2 = '/api/v2/search/tags';
export const PATH_SEARCH_TAG_VALUES = `/api/search/tag/:${URL_PARAM_TAG_NAME}/values`;
export const PATH_SEARCH_TAG_VALUES_V2 = `/api/v2/search/tag/:${URL_PARAM_TAG_NAME}/values`;
export const PATH_ECHO = '/api/echo';
export const PATH_READY = '/ready';
export const PATH_BUILD_INFO = '/api/status/buildinfo';
export const PATH_METRICS_QUERY_RANGE = '/api/metrics/query_range';
export const PATH_METRICS_QUERY_INSTANT = '/api/metrics/query';
// Metrics query parameters (besides q, start, end).
/** Tempo reads `query` too (the Prometheus name Grafana first used); `q` wins when both are given. */
export const URL_PARAM_PROM_QUERY = 'query';
export const URL_PARAM_STEP = 'step';
export const URL_PARAM_SINCE = 'since';
export const URL_PARAM_EXEMPLARS = 'exemplars';
export const URL_PARAM_MAX_SERIES = 'maxSeries';
export const URL_PARAM_INSTANT = 'instant';
/** The metrics window when neither `start` nor `since` is given: the hour before `end`. */
export const DEFAULT_METRICS_SINCE_SECONDS = 3600;
// zeroscope extensions (Tempo has no logs, RED view or generator endpoint of its own here).
/** Log search: `service`, `level` (comma list), `q` (text), `traceID`, `spanID`, `start`, `end`, `limit`. */
export const PATH_LOG_SEARCH = '/api/logs/search';
/** One trace's logs, oldest first. */
export const PATH_TRACE_LOGS = `/api/traces/:${URL_PARAM_TRACE_ID}/logs`;
/** RED per service and route: `service`, `start`, `end`. */
export const PATH_RED = '/api/red';
/** The metrics-generator's Prometheus text (Tempo's service-graph and span metrics). */
export const PATH_METRICS = '/metrics';
/** The generator's service graph over a range: `start`, `end` (service-graph.ts). */
export const PATH_SERVICE_GRAPH = '/api/service-graph';
export const URL_PARAM_SERVICE = 'service';
export const URL_PARAM_LEVEL = 'level';
export const URL_PARAM_SPAN_ID = 'spanID';
export const DEFAULT_LOG_SEARCH_LIMIT = 100;
export const MAX_LOG_SEARCH_LIMIT = 5000;
/** The RED view's window when `start` is absent: the last hour. */
export const DEFAULT_RED_WINDOW_SECONDS = 3600;

/** Everything under /api/ that no route above matches: a JSON 404. */
export const PATH_API_FALLBACK = '/api/*';
/** Everything else: the web UI's files, with the SPA fallback. */
export const PATH_UI = '/*';

/** Defaults Tempo applies when the parameter is absent. */
export const DEFAULT_SEARCH_LIMIT = 20;
export const DEFAULT_SPANS_PER_SPAN_SET = 3;
