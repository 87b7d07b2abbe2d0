/**
 * Typed wrappers over Grafana Tempo's query API, the only thing the UI talks to (so it works
 * against zeroscope's backend and a real Tempo alike). Failures become UiErrors with the
 * server's reason in the message.
 */
import { ApiBadJsonError, ApiBadProtobufError, ApiNetworkError, ApiStatusError } from '../errors.ts';
import { decodeTraceByIdProto } from './otlp-proto.ts';
import type { QueryInstantResponse, QueryRangeResponse, SearchResponse, TagScopesResponse, TagValuesResponse, TraceByIdResponse } from './tempo-types.ts';

/** Tempo's paths, in one place. */
export const TempoPaths = {
  search: '/api/search',
  traceV2: (id: string) => `/api/v2/traces/${encodeURIComponent(id)}`,
  tagsV2: '/api/v2/search/tags',
  tagValuesV2: (tag: string) => `/api/v2/search/tag/${encodeURIComponent(tag)}/values`,
  echo: '/api/echo',
  metricsQueryRange: '/api/metrics/query_range',
  metricsQueryInstant: '/api/metrics/query',
} as const;

export interface ApiOptions {
  /** Prefix for every path; '' means the page's own origin. */
  baseUrl?: string;
  signal?: AbortSignal;
  fetchImpl?: typeof fetch;
}

/** GET `path` as JSON; failures are ApiNetworkError, ApiStatusError or ApiBadJsonError. */
export async function getJson<T>(path: string, options: ApiOptions = {}): Promise<T> {
  const url = (options.baseUrl ?? '') + path;
  const doFetch = options.fetchImpl ?? fetch;
  let res: Response;
  try {
    res = await doFetch(url, { signal: options.signal, headers: { accept: 'application/json' } });
  } catch (err) {
    throw new ApiNetworkError(path, err);
  }
  const text = await res.text();
  if (!res.ok) throw new ApiStatusError(path, res.status, text);
  try {
    return JSON.parse(text) as T;
  } catch (err) {
    throw new ApiBadJsonError(path, err);
  }
}

/** GET /api/search with ready-made parameters (see search-state.ts `toSearchParams`). */
export function searchTraces(params: URLSearchParams, options?: ApiOptions): Promise<SearchResponse> {
  return getJson<SearchResponse>(`${TempoPaths.search}?${params}`, options);
}

/** GET /api/metrics/query_range (TraceQL metrics) with ready-made parameters (metrics-state.ts). */
export function metricsQueryRange(params: URLSearchParams, options?: ApiOptions): Promise<QueryRangeResponse> {
  return getJson<QueryRangeResponse>(`${TempoPaths.metricsQueryRange}?${params}`, options);
}

/** GET /api/metrics/query: one value per series for the whole range. */
export function metricsQueryInstant(params: URLSearchParams, options?: ApiOptions): Promise<QueryInstantResponse> {
  return getJson<QueryInstantResponse>(`${TempoPaths.metricsQueryInstant}?${params}`, options);
}

/**
 * GET /api/v2/traces/<id>: the whole trace, in the v2 JSON's shape. Asks for Tempo's protobuf
 * answer (under half the bytes, and far cheaper to write and read for a big trace) and takes JSON
 * from a server that answers that instead.
 */
export async function fetchTrace(traceId: string, options: ApiOptions = {}): Promise<TraceByIdResponse> {
  const path = TempoPaths.traceV2(traceId);
  const doFetch = options.fetchImpl ?? fetch;
  let res: Response;
  try {
    res = await doFetch((options.baseUrl ?? '') + path, { signal: options.signal, headers: { accept: 'application/protobuf, application/json;q=0.9' } });
  } catch (err) {
    throw new ApiNetworkError(path, err);
  }
  if (!res.ok) throw new ApiStatusError(path, res.status, await res.text());
  if (!/^application\/(x-)?protobuf/.test(res.headers.get('content-type') ?? '')) {
    const text = await res.text();
    try {
      return JSON.parse(text) as TraceByIdResponse;
    } catch (err) {
      throw new ApiBadJsonError(path, err);
    }
  }
  const bytes = new Uint8Array(await res.arrayBuffer());
  try {
    return decodeTraceByIdProto(bytes);
  } catch (err) {
    throw new ApiBadProtobufError(path, err);
  }
}

/** GET /api/v2/traces/<id> as Tempo's JSON, exactly as the server wrote it (the JSON view). */
export function fetchTraceJson(traceId: string, options?: ApiOptions): Promise<TraceByIdResponse> {
  return getJson<TraceByIdResponse>(TempoPaths.traceV2(traceId), options);
}

/** GET /api/v2/search/tag/<tag>/values as plain strings, sorted, e.g. tag `resource.service.name`. */
export async function fetchTagValues(
  tag: string,
  range: { start?: number; end?: number; q?: string } = {},
  options?: ApiOptions,
): Promise<string[]> {
  const q = new URLSearchParams();
  // Tempo narrows the values to spans matching this TraceQL (e.g. span names of one service).
  if (range.q) q.set('q', range.q);
  if (range.start !== undefined) q.set('start', String(range.start));
  if (range.end !== undefined) q.set('end', String(range.end));
  const qs = q.size ? `?${q}` : '';
  const body = await getJson<TagValuesResponse>(TempoPaths.tagValuesV2(tag) + qs, options);
  const values = (body.tagValues ?? []).map((v) => v.value ?? '').filter((v) => v !== '');
  return [...new Set(values)].sort();
}

/** GET /api/v2/search/tags: attribute names by scope, e.g. `{ span: [...], resource: [...] }`. */
export async function fetchTagNames(options?: ApiOptions): Promise<Record<string, string[]>> {
  const body = await getJson<TagScopesResponse>(TempoPaths.tagsV2, options);
  const out: Record<string, string[]> = {};
  for (const scope of body.scopes ?? []) out[scope.name] = [...(scope.tags ?? [])].sort();
  return out;
}
