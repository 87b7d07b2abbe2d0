/**
 * gRPC requests as the query parameters of the matching HTTP route. Tempo's query-frontend does
 * the same (pkg/api: BuildSearchRequest, BuildSearchTagsRequest, BuildSearchTagValuesRequest,
 * BuildQueryRangeRequest): a streamed call then goes through the HTTP route's own parsing and
 * validation, so both transports accept and refuse the same requests with the same words.
 */
import {
  URL_PARAM_END,
  URL_PARAM_EXEMPLARS,
  URL_PARAM_LIMIT,
  URL_PARAM_MAX_DURATION,
  URL_PARAM_MIN_DURATION,
  URL_PARAM_QUERY,
  URL_PARAM_SCOPE,
  URL_PARAM_SPANS_PER_SPAN_SET,
  URL_PARAM_START,
  URL_PARAM_STEP,
  URL_PARAM_TAGS,
} from '../paths.ts';
import type {
  QueryInstantRequestMessage,
  QueryRangeRequestMessage,
  SearchRequestMessage,
  SearchTagValuesRequestMessage,
  SearchTagsRequestMessage,
} from './tempo-service.ts';

function setNonZero(params: URLSearchParams, name: string, value: number | string): void {
  if (value !== 0 && value !== '0' && value !== '') params.set(name, String(value));
}

/**
 * `tempopb.SearchRequest` → `/api/search` parameters. `SpansPerSpanSet` 0 (a client that did not
 * set it) means the default here; Tempo's own frontend reads it as "unlimited" only when its
 * configured maximum is 0, which is not its default.
 */
export function searchParams(request: SearchRequestMessage): URLSearchParams {
  const params = new URLSearchParams();
  setNonZero(params, URL_PARAM_START, request.start);
  setNonZero(params, URL_PARAM_END, request.end);
  setNonZero(params, URL_PARAM_LIMIT, request.Limit);
  if (request.MaxDurationMs) params.set(URL_PARAM_MAX_DURATION, `${request.MaxDurationMs}ms`);
  if (request.MinDurationMs) params.set(URL_PARAM_MIN_DURATION, `${request.MinDurationMs}ms`);
  setNonZero(params, URL_PARAM_SPANS_PER_SPAN_SET, request.SpansPerSpanSet);
  setNonZero(params, URL_PARAM_QUERY, request.Query);
  const tags = Object.entries(request.Tags ?? {});
  // logfmt, values quoted: a JSON string literal is a valid quoted logfmt value.
  if (tags.length > 0) params.set(URL_PARAM_TAGS, tags.map(([k, v]) => `${k}=${JSON.stringify(v)}`).join(' '));
  return params;
}

/** `tempopb.SearchTagsRequest` → `/api/search/tags` and `/api/v2/search/tags` parameters. */
export function searchTagsParams(request: SearchTagsRequestMessage): URLSearchParams {
  const params = new URLSearchParams();
  setNonZero(params, URL_PARAM_START, request.start);
  setNonZero(params, URL_PARAM_END, request.end);
  setNonZero(params, URL_PARAM_SCOPE, request.scope);
  setNonZero(params, URL_PARAM_QUERY, request.query);
  // Tempo caps names per scope with maxTagsPerScope; `limit` is that cap on the HTTP routes here.
  setNonZero(params, URL_PARAM_LIMIT, request.maxTagsPerScope);
  return params;
}

/** `tempopb.SearchTagValuesRequest` → tag-values parameters (the tag itself is `tagName`). */
export function searchTagValuesParams(request: SearchTagValuesRequestMessage): URLSearchParams {
  const params = new URLSearchParams();
  setNonZero(params, URL_PARAM_START, request.start);
  setNonZero(params, URL_PARAM_END, request.end);
  setNonZero(params, URL_PARAM_QUERY, request.query);
  setNonZero(params, URL_PARAM_LIMIT, request.maxTagValues);
  return params;
}

/** Nanoseconds as a Go duration string (`30000000000` → `30s`, `1500000` → `1500us`). */
function goDuration(nanos: string): string {
  const n = BigInt(nanos);
  if (n % 1_000_000_000n === 0n) return `${n / 1_000_000_000n}s`;
  if (n % 1_000_000n === 0n) return `${n / 1_000_000n}ms`;
  if (n % 1_000n === 0n) return `${n / 1_000n}us`;
  return `${n}ns`;
}

/**
 * `tempopb.QueryRangeRequest` → `/api/metrics/query_range` parameters: `q`, `start` and `end` in
 * unix nanoseconds, `step` as a duration (left out at 0: the route picks it), `exemplars`.
 */
export function queryRangeParams(request: QueryRangeRequestMessage): URLSearchParams {
  const params = new URLSearchParams();
  setNonZero(params, URL_PARAM_START, request.start);
  setNonZero(params, URL_PARAM_END, request.end);
  if (request.step && request.step !== '0') params.set(URL_PARAM_STEP, goDuration(request.step));
  setNonZero(params, URL_PARAM_QUERY, request.query);
  setNonZero(params, URL_PARAM_EXEMPLARS, request.exemplars);
  return params;
}

/** `tempopb.QueryInstantRequest` → `/api/metrics/query` parameters (`q`, `start`, `end` in nanoseconds). */
export function queryInstantParams(request: QueryInstantRequestMessage): URLSearchParams {
  const params = new URLSearchParams();
  setNonZero(params, URL_PARAM_START, request.start);
  setNonZero(params, URL_PARAM_END, request.end);
  setNonZero(params, URL_PARAM_QUERY, request.query);
  return params;
}
