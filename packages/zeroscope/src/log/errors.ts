/**
 * Errors of the log package. Each has a stable `code` (never reused once retired). They are thrown
 * only while setting logging up; a failing log export never throws into the application.
 */
import { codedError } from '../internal/coded-error.ts';

/** Stable codes of {@link LogError}, with what each means. */
export const LOG_ERROR_CODES = {
  LOG_ERR_PATH: 'Log.Path cannot be created or written (file mode)',
  LOG_ERR_EXPORT: 'the OTLP log export cannot be built from the Telemetry block',
} as const;

export type LogErrorCode = keyof typeof LOG_ERROR_CODES;

/** A Log (or Telemetry) config logging cannot start from. */
export class LogError extends codedError('LogError', LOG_ERROR_CODES) {}
