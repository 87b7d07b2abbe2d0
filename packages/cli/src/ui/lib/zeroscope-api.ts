/**
 * zeroscope's own API extensions (logs, the RED view and the generator's service graph). A real Tempo does not have them: the
 * pages that use them treat a 404 as "not available here" rather than as an error.
 *
 * The response types below restate the backend's (backend/api/red-stats.ts, backend/logstore's
 * StoredLog) on purpose: the UI reaches the backend only through HTTP (DESIGN.md) and its bundle
 * must not pull in backend code, so these describe the JSON wire shape, not shared source.
 */
import { ApiStatusError } from '../errors.ts';
import { getJson, type ApiOptions } from './api.ts';
import type { AnyValue, KeyValue } from './tempo-types.ts';

/** The extension paths, in one place (the backend keeps them in api/paths.ts). */
export const ZeroscopePaths = {
  logSearch: '/api/logs/search',
  traceLogs: (id: string) => `/api/traces/${encodeURIComponent(id)}/logs`,
  red: '/api/red',
  serviceGraph: '/api/service-graph',
} as const;

/** Log levels, lowest first (the backend's names). */
export const LOG_LEVELS = ['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'unspecified'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/** One log record as the backend answers it (OTLP/JSON conventions, hex ids). */
export interface UiLogRecord {
  id: string;
  timeUnixNano: string;
  severityNumber: number;
  severityText: string;
  level: LogLevel;
  body?: AnyValue;
  attributes: KeyValue[];
  traceId: string;
  spanId: string;
  eventName?: string;
  serviceName: string;
  resource: KeyValue[];
  scopeName: string;
}

/** One RED row. */
export interface RedRow {
  service: string;
  route: string;
  requests: number;
  errors: number;
  rate: number;
  errorRate: number;
  p50Nanos: number;
  p95Nanos: number;
  p99Nanos: number;
  examples: Array<{ traceId: string; spanId: string; durationNanos: number; error: boolean; reason: string }>;
}

export interface RedResponse {
  start: number;
  end: number;
  windowSeconds: number;
  inspectedTraces: number;
  truncated: boolean;
  routes: RedRow[];
}

/** GET /api/logs/search. */
export function searchLogs(params: URLSearchParams, options?: ApiOptions): Promise<{ logs: UiLogRecord[]; truncated: boolean }> {
  return getJson(`${ZeroscopePaths.logSearch}?${params}`, options);
}

/** GET /api/traces/<id>/logs, oldest first; undefined when the backend has no log routes (404). */
export async function fetchTraceLogs(traceId: string, options?: ApiOptions): Promise<UiLogRecord[] | undefined> {
  try {
    return (await getJson<{ logs: UiLogRecord[] }>(ZeroscopePaths.traceLogs(traceId), options)).logs ?? [];
  } catch (err) {
    if (err instanceof ApiStatusError && err.status === 404) return undefined;
    throw err;
  }
}

/** GET /api/red. */
export function fetchRed(params: URLSearchParams, options?: ApiOptions): Promise<RedResponse> {
  return getJson(`${ZeroscopePaths.red}?${params}`, options);
}

/** Requests of a node or edge over the range (backend generator/graph-series.ts). */
export interface ApiRequestStats {
  requests: number;
  failed: number;
  rate: number;
  errorRate: number;
  /** null where no latency was measured. */
  p50Seconds: number | null;
  p95Seconds: number | null;
}

export interface ServiceGraphResponse {
  start: number;
  end: number;
  windowSeconds: number;
  stepSeconds: number;
  nodes: Array<ApiRequestStats & { service: string }>;
  edges: Array<ApiRequestStats & { client: string; server: string; connectionType: string }>;
}

/** GET /api/service-graph; undefined when the backend has no generator (a plain Tempo: 404). */
export async function fetchServiceGraph(params: URLSearchParams, options?: ApiOptions): Promise<ServiceGraphResponse | undefined> {
  try {
    return await getJson<ServiceGraphResponse>(`${ZeroscopePaths.serviceGraph}?${params}`, options);
  } catch (err) {
    if (err instanceof ApiStatusError && err.status === 404) return undefined;
    throw err;
  }
}
