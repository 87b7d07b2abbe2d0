/**
 * Errors of the guard: each has a stable `code`, the HTTP status and gRPC code a receiver answers
 * with (the receivers read these fields duck-typed, see receivers/types.ts PushFailure), and for
 * retryable ones the delay to send as `Retry-After` / RetryInfo.
 */
import { codedError } from '../../shared/coded-error.ts';

/** Stable codes of the guard's errors, with the answer each maps to. */
export const GUARD_ERROR_CODES = {
  /** Too much work waiting for the store: 503 / UNAVAILABLE, retryable. */
  GUARD_ERR_OVERLOADED: { httpStatus: 503, grpcCode: 14 },
  /** Less free disk than the floor: 507 / RESOURCE_EXHAUSTED. */
  GUARD_ERR_LOW_DISK: { httpStatus: 507, grpcCode: 8 },
  /** An exposed bind without a (long enough) token: refused at start-up. */
  GUARD_ERR_EXPOSURE: { httpStatus: 500, grpcCode: 13 },
} as const satisfies Record<string, { httpStatus: number; grpcCode: number }>;

export type GuardErrorCode = keyof typeof GUARD_ERROR_CODES;

/** Base of the guard's errors. */
export class GuardError extends codedError({
  answer: (code: GuardErrorCode): { httpStatus: number; grpcCode: number } => GUARD_ERROR_CODES[code],
}) {}

/**
 * Too much work is already waiting for the store: 503 + Retry-After (gRPC UNAVAILABLE + RetryInfo),
 * which every OTLP exporter retries, instead of queueing without bound.
 */
export class OverloadedError extends GuardError {
  /** The delay sent as `Retry-After` / RetryInfo. */
  readonly retryAfterSeconds: number;

  constructor(detail: string, retryAfterSeconds: number) {
    super('GUARD_ERR_OVERLOADED', `backend overloaded (${detail}); retry later`);
    this.retryAfterSeconds = retryAfterSeconds;
  }
}

/** The data directory's file system has less free space than the configured floor: 507. */
export class LowDiskError extends GuardError {
  constructor(readonly freeBytes: number, readonly minFreeBytes: number) {
    super(
      'GUARD_ERR_LOW_DISK',
      `insufficient storage: ${freeBytes} bytes free, writes need at least ${minFreeBytes}; free disk space, reads keep working`,
    );
  }
}

/** Binding a non-loopback address without an auth token, or with one too short to be secret. */
export class ExposureError extends GuardError {
  constructor(message: string) {
    super('GUARD_ERR_EXPOSURE', message);
  }
}

/** Every error class above, for the registry test. */
export const GUARD_ERRORS = [OverloadedError, LowDiskError, ExposureError] as const;
