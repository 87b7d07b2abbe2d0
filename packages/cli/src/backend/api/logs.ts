/**
 * zeroscope's log routes (extensions; Tempo has no logs): `GET /api/logs/search` and
 * `GET /api/traces/<id>/logs`. The API declares the narrow LogReader it needs; the log store
 * implements it.
 */
import { BadParamError } from './errors.ts';
import { parseTraceIdHex, positiveIntParam, timeRangeParams } from './params.ts';
import {
  DEFAULT_LOG_SEARCH_LIMIT,
  MAX_LOG_SEARCH_LIMIT,
  URL_PARAM_LEVEL,
  URL_PARAM_LIMIT,
  URL_PARAM_QUERY,
  URL_PARAM_SERVICE,
  URL_PARAM_SPAN_ID,
  URL_PARAM_TRACE_ID,
} from './paths.ts';
import { sendJson } from './respond.ts';
import type { RouteHandler } from './route.ts';

/** Log levels the API accepts in `level=` (the log store's names). */
export const LOG_LEVEL_NAMES = ['unspecified', 'trace', 'debug', 'info', 'warn', 'error', 'fatal'] as const;
export type ApiLogLevel = (typeof LOG_LEVEL_NAMES)[number];

/** A parsed log search. */
export interface LogSearchRequest {
  serviceName?: string;
  levels?: ApiLogLevel[];
  text?: string;
  traceId?: string;
  spanId?: string;
  startUnixNano?: bigint;
  endUnixNano?: bigint;
  limit: number;
}

/** What the log routes read; answers are sent as they come (records in OTLP/JSON conventions). */
export interface LogReader {
  search(query: LogSearchRequest): Promise<{ logs: unknown[]; truncated: boolean }>;
  traceLogs(traceIdHex: string, options?: { limit?: number }): Promise<unknown[]>;
}

/** Parses `service`, `level` (comma list), `q`, `traceID`, `spanID`, `start`, `end`, `limit`. */
export function parseLogSearch(params: URLSearchParams): LogSearchRequest {
  const request: LogSearchRequest = { ...timeRangeParams(params), limit: positiveIntParam(params, URL_PARAM_LIMIT, DEFAULT_LOG_SEARCH_LIMIT) };
  if (request.limit > MAX_LOG_SEARCH_LIMIT) throw new BadParamError(`invalid limit: at most ${MAX_LOG_SEARCH_LIMIT}`);
  const service = params.get(URL_PARAM_SERVICE);
  if (service) request.serviceName = service;
  const level = params.get(URL_PARAM_LEVEL);
  if (level) {
    const levels = level.split(',').map((l) => l.trim().toLowerCase()).filter(Boolean);
    const unknown = levels.find((l) => !(LOG_LEVEL_NAMES as readonly string[]).includes(l));
    if (unknown !== undefined) throw new BadParamError(`invalid level: "${unknown}"; use ${LOG_LEVEL_NAMES.join(', ')}`);
    request.levels = levels as ApiLogLevel[];
  }
  const text = params.get(URL_PARAM_QUERY)?.trim();
  if (text) request.text = text;
  const traceId = params.get(URL_PARAM_TRACE_ID);
  if (traceId) request.traceId = parseTraceIdHex(traceId);
  const spanId = params.get(URL_PARAM_SPAN_ID);
  if (spanId) {
    if (!/^[0-9a-fA-F]{16}$/.test(spanId)) throw new BadParamError(`invalid ${URL_PARAM_SPAN_ID}: expected 16 hex characters`);
    request.spanId = spanId.toLowerCase();
  }
  return request;
}

/** Handler for `GET /api/logs/search`: `{logs: [...], truncated}`, newest first. */
export function logSearchHandler(logs: LogReader): RouteHandler {
  return async function logSearch(ctx) {
    sendJson(ctx.req, ctx.res, 200, await logs.search(parseLogSearch(ctx.query)));
  };
}

/** Handler for `GET /api/traces/<id>/logs`: `{logs: [...]}`, oldest first (an unknown trace has none). */
export function traceLogsHandler(logs: LogReader): RouteHandler {
  return async function traceLogs(ctx) {
    const traceId = parseTraceIdHex(ctx.params[URL_PARAM_TRACE_ID] ?? '');
    const limit = positiveIntParam(ctx.query, URL_PARAM_LIMIT, 1000);
    if (limit > MAX_LOG_SEARCH_LIMIT) throw new BadParamError(`invalid limit: at most ${MAX_LOG_SEARCH_LIMIT}`);
    sendJson(ctx.req, ctx.res, 200, { logs: await logs.traceLogs(traceId, { limit }) });
  };
}
