/**
 * Errors of the guard: each has a stable `code`, the HTTP status and gRPC code a receiver answers
 * with (the receivers read these fields duck-typed, see receivers/types.ts PushFailure), and for
 * retryable ones the delay to send as `Retry-After` / RetryInfo.
 */

/** Base of the guard's errors. */
export class GuardError extends Error {
  readonly code: string;
  readonly httpStatus: number;
  readonly grpcCode: number;
  readonly retryAfterSeconds?: number;

  constructor(
    code: string,
    message: string,
    answer: { httpStatus: number; grpcCode: number; retryAfterSeconds?: number },
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = new.target.name;
    this.code = code;
    this.httpStatus = answer.httpStatus;
    this.grpcCode = answer.grpcCode;
    if (answer.retryAfterSeconds !== undefined) this.retryAfterSeconds = answer.retryAfterSeconds;
  }
}

/**
 * Too much work is already waiting for the store: 503 + Retry-After (gRPC UNAVAILABLE + RetryInfo),
 * which every OTLP exporter retries, instead of queueing without bound.
 */
export class OverloadedError extends GuardError {
  constructor(detail: string, retryAfterSeconds: number) {
    super('GUARD_ERR_OVERLOADED', `backend overloaded (${detail}); retry later`, {
      httpStatus: 503,
      grpcCode: 14, // UNAVAILABLE
      retryAfterSeconds,
    });
  }
}

/** The data directory's file system has less free space than the configured floor: 507. */
export class LowDiskError extends GuardError {
  constructor(readonly freeBytes: number, readonly minFreeBytes: number) {
    super(
      'GUARD_ERR_LOW_DISK',
      `insufficient storage: ${freeBytes} bytes free, writes need at least ${minFreeBytes}; free disk space, reads keep working`,
      { httpStatus: 507, grpcCode: 8 }, // RESOURCE_EXHAUSTED
    );
  }
}

/** Binding a non-loopback address without an auth token, or with one too short to be secret. */
export class ExposureError extends GuardError {
  constructor(message: string) {
    super('GUARD_ERR_EXPOSURE', message, { httpStatus: 500, grpcCode: 13 });
  }
}

/** Every error class above, for the registry test. */
export const GUARD_ERRORS = [OverloadedError, LowDiskError, ExposureError] as const;
