/**
 * Errors of the metrics package. Each has a stable `code` (never reused once retired). Recording a
 * metric never throws into a request; only starting the metrics server can fail.
 */
import { codedError } from '../internal/coded-error.ts';

/** Stable codes of {@link MetricsError}, with what each means. */
export const METRICS_ERROR_CODES = {
  METRICS_ERR_LISTEN: 'the metrics server cannot listen on Prometheus.Host:Port',
} as const;

export type MetricsErrorCode = keyof typeof METRICS_ERROR_CODES;

/** The metrics server could not start. */
export class MetricsError extends codedError('MetricsError', METRICS_ERROR_CODES) {}
