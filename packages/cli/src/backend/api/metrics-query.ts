/**
 * `GET /api/metrics/query_range` and `GET /api/metrics/query`: TraceQL metrics with Tempo's
 * parameters (`q` or `query`; `start`/`end` as unix seconds, nanoseconds, fractional seconds or
 * RFC 3339; `since` instead of `start`; `step` as seconds or a duration; `exemplars`,
 * `maxSeries`, `instant`) and Tempo's JSON answers. Tempo's HTTP API answers these in JSON only
 * (protobuf is its gRPC API's), and so does this one.
 */
import type { TraceFetcher } from '../query/storage.ts';
import { BadParamError, BadQueryError } from './errors.ts';
import { parseGoDuration } from './params.ts';
import {
  DEFAULT_METRICS_SINCE_SECONDS,
  URL_PARAM_END,
  URL_PARAM_EXEMPLARS,
  URL_PARAM_INSTANT,
  URL_PARAM_MAX_SERIES,
  URL_PARAM_PROM_QUERY,
  URL_PARAM_QUERY,
  URL_PARAM_SINCE,
  URL_PARAM_START,
  URL_PARAM_STEP,
} from './paths.ts';
import { sendJson } from './respond.ts';
import type { RouteHandler } from './route.ts';
import type { TraceqlMetrics } from './grpc/index.ts';
import type { MetricsInstantRequest, MetricsQueryEngine, MetricsRangeRequest } from './types.ts';

const NANOS_PER_SECOND = 1_000_000_000n;
/** Prometheus durations (Tempo parses `since` with them) also take days, weeks and years. */
const LONG_UNITS = { d: 86_400e9, w: 7 * 86_400e9, y: 365 * 86_400e9 };

/**
 * A Tempo timestamp: up to 10 digits are unix seconds, more are nanoseconds; a decimal point
 * means fractional seconds (kept to the millisecond, as Tempo does); else RFC 3339.
 */
export function parseTempoTimestamp(name: string, text: string): bigint {
  if (/^\d+\.\d*$/.test(text) || /^\d*\.\d+$/.test(text)) {
    const [whole = '0', fraction = ''] = text.split('.');
    const millis = Math.round(Number(`0.${fraction || '0'}`) * 1000);
    return BigInt(whole || '0') * NANOS_PER_SECOND + BigInt(millis) * 1_000_000n;
  }
  if (/^\d+$/.test(text)) return text.length <= 10 ? BigInt(text) * NANOS_PER_SECOND : BigInt(text);
  const ms = Date.parse(text);
  if (/^\d{4}-\d{2}-\d{2}T/.test(text) && !Number.isNaN(ms)) {
    const fraction = /\.(\d+)/.exec(text)?.[1] ?? '';
    // Date keeps milliseconds; RFC 3339 may carry nanoseconds.
    const extraNanos = BigInt((fraction + '000000000').slice(3, 9));
    return BigInt(ms) * 1_000_000n + extraNanos;
  }
  throw new BadParamError(`could not parse '${name}' parameter: "${text}" is not a unix time (seconds or nanoseconds) or an RFC 3339 time`);
}

/** start/end/since as Tempo resolves them: end defaults to now, start to `since` (1h) before end (or now, if end is later). */
export function metricsBounds(params: URLSearchParams, nowUnixNano: bigint): { start: bigint; end: bigint } {
  const endText = params.get(URL_PARAM_END) ?? '';
  const startText = params.get(URL_PARAM_START) ?? '';
  const sinceText = params.get(URL_PARAM_SINCE) ?? '';
  let since = BigInt(DEFAULT_METRICS_SINCE_SECONDS) * NANOS_PER_SECOND;
  if (sinceText !== '') {
    try {
      since = BigInt(parseGoDuration(sinceText, LONG_UNITS));
    } catch (err) {
      throw new BadParamError(`could not parse 'since' parameter: ${(err as Error).message}`, { cause: err });
    }
  }
  const end = endText === '' ? nowUnixNano : parseTempoTimestamp('end', endText);
  const endOrNow = end > nowUnixNano ? nowUnixNano : end;
  const start = startText === '' ? endOrNow - since : parseTempoTimestamp('start', startText);
  if (end <= start) {
    throw new BadParamError(`invalid start and end: end must be after start (start=${startText || start} end=${endText || end})`);
  }
  return { start, end };
}

/** `step`: seconds (`15`, `0.5`) or a duration (`1m`); absent or 0 leaves the default to the engine. */
function stepParam(params: URLSearchParams): bigint | undefined {
  const text = params.get(URL_PARAM_STEP) ?? '';
  if (text === '') return undefined;
  let nanos: number;
  if (/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(text)) nanos = Number(text) * 1e9;
  else {
    try {
      nanos = text.startsWith('-') ? -parseGoDuration(text.slice(1)) : parseGoDuration(text);
    } catch {
      throw new BadParamError(`invalid step: cannot parse "${text}" to a valid duration`);
    }
  }
  if (nanos < 0) throw new BadParamError(`invalid step: cannot parse "${text}": step must be positive`);
  if (!Number.isFinite(nanos) || nanos > 2 ** 63) throw new BadParamError(`invalid step: cannot parse "${text}" to a valid duration. It overflows int64`);
  return nanos === 0 ? undefined : BigInt(Math.round(nanos));
}

/** An optional unsigned integer parameter; like Tempo, an unparsable value is ignored. */
function uintParam(params: URLSearchParams, name: string): number | undefined {
  const text = params.get(name) ?? '';
  return /^\d+$/.test(text) && Number(text) <= 0xffffffff ? Number(text) : undefined;
}

function queryParam(params: URLSearchParams): string {
  return params.get(URL_PARAM_QUERY) || params.get(URL_PARAM_PROM_QUERY) || '';
}

/** Parses a query_range request; throws BadParamError. */
export function parseMetricsRangeRequest(params: URLSearchParams, nowUnixNano: bigint): MetricsRangeRequest {
  const request: MetricsRangeRequest = { query: queryParam(params), ...metricsBounds(params, nowUnixNano) };
  const step = stepParam(params);
  if (step !== undefined) request.step = step;
  const exemplars = uintParam(params, URL_PARAM_EXEMPLARS);
  if (exemplars !== undefined) request.exemplars = exemplars;
  const maxSeries = uintParam(params, URL_PARAM_MAX_SERIES);
  if (maxSeries !== undefined) request.maxSeries = maxSeries;
  const instant = params.get(URL_PARAM_INSTANT);
  if (instant === 'true' || instant === '1') request.instant = true;
  return request;
}

/** Parses an instant request; throws BadParamError. */
export function parseMetricsInstantRequest(params: URLSearchParams, nowUnixNano: bigint): MetricsInstantRequest {
  const request: MetricsInstantRequest = { query: queryParam(params), ...metricsBounds(params, nowUnixNano) };
  const maxSeries = uintParam(params, URL_PARAM_MAX_SERIES);
  if (maxSeries !== undefined) request.maxSeries = maxSeries;
  return request;
}

const nowNanos = () => BigInt(Date.now()) * 1_000_000n;

async function answer(engine: MetricsQueryEngine, run: () => Promise<unknown>): Promise<unknown> {
  try {
    return await run();
  } catch (err) {
    if (engine.isQueryError(err)) throw new BadQueryError((err as Error).message, { cause: err });
    throw err;
  }
}

/**
 * The two metrics calls from their request parameters to Tempo's JSON answer, shared by the HTTP
 * routes below and the gRPC streaming API (which turns its requests into the same parameters).
 */
export function traceqlMetricsApi(fetcher: TraceFetcher, engine: MetricsQueryEngine): TraceqlMetrics {
  return {
    queryRange: (params) => answer(engine, () => engine.queryRange(fetcher, parseMetricsRangeRequest(params, nowNanos()))),
    queryInstant: (params) => answer(engine, () => engine.queryInstant(fetcher, parseMetricsInstantRequest(params, nowNanos()))),
  };
}

/** Handler for `GET /api/metrics/query_range`. */
export function metricsQueryRangeHandler(metrics: TraceqlMetrics): RouteHandler {
  return async function metricsQueryRange(ctx) {
    sendJson(ctx.req, ctx.res, 200, await metrics.queryRange(ctx.query));
  };
}

/** Handler for `GET /api/metrics/query`. */
export function metricsQueryInstantHandler(metrics: TraceqlMetrics): RouteHandler {
  return async function metricsQueryInstant(ctx) {
    sendJson(ctx.req, ctx.res, 200, await metrics.queryInstant(ctx.query));
  };
}
