/**
 * Errors of the trace agent. Each has a stable `code` (never reused once retired). They are thrown
 * only while starting the agent; export failures never throw into the application (see export-health.ts).
 */
import { codedError } from '../internal/coded-error.ts';

/** Stable codes of {@link TraceError}, with what each means. */
export const TRACE_ERROR_CODES = {
  TRACE_ERR_UNKNOWN_EXPORTER: 'Telemetry.Batcher names no registered exporter',
  TRACE_ERR_BAD_ENDPOINT: 'Telemetry.Endpoint cannot be used by the chosen Batcher',
  TRACE_ERR_BAD_CERTIFICATE: 'a Telemetry TLS file (OtlpCaFile, OtlpClientCertFile, OtlpClientKeyFile) cannot be read',
} as const;

export type TraceErrorCode = keyof typeof TRACE_ERROR_CODES;

/** A Telemetry config the agent cannot start from. */
export class TraceError extends codedError('TraceError', TRACE_ERROR_CODES) {}
