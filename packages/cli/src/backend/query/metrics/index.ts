/** TraceQL metrics: range and instant queries over a TraceFetcher, in Tempo's response shapes. */
export {
  compileMetricsQuery,
  DEFAULT_EXEMPLARS,
  DEFAULT_MAX_SERIES,
  evaluateMetricsQueryInstant,
  evaluateMetricsQueryRange,
  MAX_EXEMPLARS,
} from './evaluate.ts';
export type { MetricsQueryInstantRequest, MetricsQueryRangeRequest } from './evaluate.ts';
export type {
  ExemplarJson,
  InstantSeriesJson,
  MetricsSearchMetrics,
  QueryInstantResponse,
  QueryRangeResponse,
  SampleJson,
  TimeSeriesJson,
} from './series.ts';
export { defaultStep } from './time-range.ts';
