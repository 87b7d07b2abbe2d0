/**
 * The metrics page's form: a TraceQL metrics query, a time range and a step, kept in the URL
 * (`/traceql-metrics?q=&range=&start=&end=&step=`) and turned into Tempo's `/api/metrics/query_range`
 * parameters.
 */
import { timeRangeFromParams, writeResolvedRange, writeTimeRangeParams, type TimeRangeValue } from './time-range.ts';

export interface MetricsState extends TimeRangeValue {
  /** TraceQL metrics, e.g. `{ } | rate() by (resource.service.name)`. */
  q: string;
  /** Tempo's step as typed (`30s`, `1m`, `15`); '' lets the server pick about 240 points. */
  step: string;
  /** One value per series over the whole range (`/api/metrics/query`) instead of series over time. */
  instant: boolean;
}

/** What the page runs when the URL names no query. */
export const DEFAULT_METRICS_QUERY = '{ } | rate() by (resource.service.name)';

/** Queries worth one click, shown under the query box. */
export const EXAMPLE_METRICS_QUERIES = [
  DEFAULT_METRICS_QUERY,
  '{ status = error } | rate() by (resource.service.name)',
  '{ kind = server } | quantile_over_time(duration, .5, .9, .99) by (resource.service.name)',
  '{ } | histogram_over_time(duration)',
  '{ } | count_over_time() by (name)',
];

/** Reads the state from URL parameters; a missing query is the default one. */
export function metricsStateFromParams(params: URLSearchParams): MetricsState {
  return { q: params.get('q') ?? DEFAULT_METRICS_QUERY, step: (params.get('step') ?? '').trim(), instant: params.get('instant') === '1', ...timeRangeFromParams(params) };
}

/** The URL form, defaults left out. */
export function metricsStateToParams(s: MetricsState): URLSearchParams {
  const p = new URLSearchParams();
  if (s.q.trim() !== DEFAULT_METRICS_QUERY) p.set('q', s.q.trim());
  writeTimeRangeParams(p, s);
  if (s.step.trim()) p.set('step', s.step.trim());
  if (s.instant) p.set('instant', '1');
  return p;
}

/** `/api/metrics/query` parameters at `nowSeconds`: the query and the range (an instant query has no step). */
export function toMetricsInstantParams(s: MetricsState, nowSeconds: number): URLSearchParams {
  const p = new URLSearchParams();
  p.set('q', s.q.trim());
  writeResolvedRange(p, s, nowSeconds);
  return p;
}

/**
 * `/api/metrics/query_range` parameters at `nowSeconds`. The step goes as typed: the server
 * checks it and its 400 says what is wrong, as Tempo's would.
 */
export function toMetricsRangeParams(s: MetricsState, nowSeconds: number): URLSearchParams {
  const p = new URLSearchParams();
  p.set('q', s.q.trim());
  writeResolvedRange(p, s, nowSeconds);
  if (s.step.trim()) p.set('step', s.step.trim());
  return p;
}
