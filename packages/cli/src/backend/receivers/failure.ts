/**
 * One mapping from any error (decode, limit, auth, pusher) to what the HTTP and gRPC receivers
 * answer, so both protocols agree on what is retryable.
 */

/** How a receiver answers a failed request. */
export interface FailureAnswer {
  httpStatus: number;
  grpcCode: number;
  message: string;
  /** Set for retryable overload answers (429, 503). */
  retryAfterSeconds?: number;
  /** True when the error carried no status: an unexpected failure worth logging. */
  unexpected: boolean;
}

const GRPC = { INVALID_ARGUMENT: 3, NOT_FOUND: 5, PERMISSION_DENIED: 7, RESOURCE_EXHAUSTED: 8, UNIMPLEMENTED: 12, INTERNAL: 13, UNAVAILABLE: 14, UNAUTHENTICATED: 16, DEADLINE_EXCEEDED: 4 } as const;

const HTTP_TO_GRPC: Record<number, number> = {
  400: GRPC.INVALID_ARGUMENT,
  401: GRPC.UNAUTHENTICATED,
  403: GRPC.PERMISSION_DENIED,
  404: GRPC.NOT_FOUND,
  405: GRPC.UNIMPLEMENTED,
  413: GRPC.RESOURCE_EXHAUSTED,
  415: GRPC.INVALID_ARGUMENT,
  429: GRPC.RESOURCE_EXHAUSTED,
  503: GRPC.UNAVAILABLE,
  507: GRPC.RESOURCE_EXHAUSTED, // disk full: not retried without RetryInfo, like OTLP/HTTP's 507
  504: GRPC.DEADLINE_EXCEEDED,
};

const GRPC_TO_HTTP: Record<number, number> = {
  [GRPC.INVALID_ARGUMENT]: 400,
  [GRPC.UNAUTHENTICATED]: 401,
  [GRPC.PERMISSION_DENIED]: 403,
  [GRPC.RESOURCE_EXHAUSTED]: 429,
  [GRPC.UNAVAILABLE]: 503,
  [GRPC.DEADLINE_EXCEEDED]: 504,
};

/** The gRPC code for an HTTP status (INTERNAL for unmapped 5xx, UNKNOWN otherwise). */
function grpcCodeForHttp(status: number): number {
  return HTTP_TO_GRPC[status] ?? (status >= 500 ? GRPC.INTERNAL : 2);
}

/** A deliberate refusal (404, 405...): the status, its gRPC code and a message; nothing to log. */
export function statusAnswer(httpStatus: number, message: string): FailureAnswer {
  return { httpStatus, grpcCode: grpcCodeForHttp(httpStatus), message, unexpected: false };
}

/**
 * Maps an error to an answer, reading `httpStatus` (or the store's `status`), `grpcCode` and
 * `retryAfterSeconds` if present.
 */
export function describeFailure(error: unknown): FailureAnswer {
  const e = (typeof error === 'object' && error !== null ? error : {}) as Record<string, unknown>;
  const message = typeof e.message === 'string' && e.message ? e.message : String(error);
  // StoreError names its HTTP status `status` (a bad span id is 400, disk full 507).
  const status = e.httpStatus ?? e.status;
  const http = typeof status === 'number' && status >= 400 && status <= 599 ? status : undefined;
  const grpc = typeof e.grpcCode === 'number' && e.grpcCode > 0 && e.grpcCode <= 16 ? e.grpcCode : undefined;
  if (http === undefined && grpc === undefined) {
    return { httpStatus: 500, grpcCode: GRPC.INTERNAL, message: `internal error: ${message}`, unexpected: true };
  }
  const httpStatus = http ?? GRPC_TO_HTTP[grpc!] ?? 500;
  const grpcCode = grpc ?? grpcCodeForHttp(httpStatus);
  const answer: FailureAnswer = { httpStatus, grpcCode, message, unexpected: false };
  if (httpStatus === 429 || httpStatus === 503) {
    const after = e.retryAfterSeconds;
    answer.retryAfterSeconds = typeof after === 'number' && Number.isFinite(after) && after >= 0 ? after : 1;
  }
  return answer;
}
