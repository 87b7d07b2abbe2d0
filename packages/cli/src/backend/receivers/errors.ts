/**
 * Errors the receivers answer with. Each has a stable `code`, an HTTP status and a gRPC code.
 * Decode errors come from ../otlp (OtlpDecodeError, ZipkinDecodeError), pusher errors from the store.
 */
import { codedError } from '../../shared/coded-error.ts';

/** Stable codes of the receivers' own errors, with the HTTP status and gRPC code each answers with. */
export const RECEIVER_ERROR_CODES = {
  RECV_ERR_BODY_TOO_LARGE: { httpStatus: 413, grpcCode: 8 }, // RESOURCE_EXHAUSTED
  RECV_ERR_TOO_MANY_CHUNKS: { httpStatus: 413, grpcCode: 8 }, // RESOURCE_EXHAUSTED
  RECV_ERR_BODY_TOO_SLOW: { httpStatus: 408, grpcCode: 4 }, // DEADLINE_EXCEEDED
  RECV_ERR_UNSUPPORTED_MEDIA_TYPE: { httpStatus: 415, grpcCode: 3 }, // INVALID_ARGUMENT
  RECV_ERR_UNSUPPORTED_ENCODING: { httpStatus: 415, grpcCode: 3 },
  RECV_ERR_BAD_COMPRESSION: { httpStatus: 400, grpcCode: 3 },
  RECV_ERR_REQUEST_ABORTED: { httpStatus: 400, grpcCode: 1 }, // CANCELLED
  RECV_ERR_UNAUTHORIZED: { httpStatus: 401, grpcCode: 16 }, // UNAUTHENTICATED
  RECV_ERR_BUSY: { httpStatus: 503, grpcCode: 14 }, // UNAVAILABLE, retried by OTLP exporters
} as const satisfies Record<string, { httpStatus: number; grpcCode: number }>;

export type ReceiverErrorCode = keyof typeof RECEIVER_ERROR_CODES;

/** Base of the receivers' errors with a fixed answer. */
class ReceiverError extends codedError({
  answer: (code: ReceiverErrorCode): { httpStatus: number; grpcCode: number } => RECEIVER_ERROR_CODES[code],
}) {}

/** A body (or gRPC message) larger than the limit, counted after decompression. */
export class BodyTooLargeError extends ReceiverError {
  constructor(readonly limitBytes: number) {
    super('RECV_ERR_BODY_TOO_LARGE', `request body exceeds the limit of ${limitBytes} bytes (after decompression)`);
  }
}

/** The request bodies the receivers hold together are at their budget (body-budget.ts): retry shortly. */
export class ReceiversBusyError extends ReceiverError {
  /** Sent as Retry-After (gRPC: RetryInfo). */
  readonly retryAfterSeconds = 1;
  constructor(readonly budgetBytes: number) {
    super('RECV_ERR_BUSY', `receivers busy: request bodies being read or stored already hold ${budgetBytes} bytes; retry later`);
  }
}

/** A body cut into more chunks (read events) than any real client sends. */
export class TooManyChunksError extends ReceiverError {
  constructor(readonly limitChunks: number) {
    super('RECV_ERR_TOO_MANY_CHUNKS', `request body arrived in more than ${limitChunks} pieces; send it in larger chunks`);
  }
}

/** A body arriving slower than the minimum receive rate (after the grace period). */
export class BodyTooSlowError extends ReceiverError {
  constructor(readonly minBytesPerSecond: number, graceMs: number) {
    super('RECV_ERR_BODY_TOO_SLOW', `request body arrived slower than ${minBytesPerSecond} bytes/s after ${graceMs / 1000}s; connection closed`);
  }
}

/** A Content-Type the endpoint does not read. */
export class UnsupportedMediaTypeError extends ReceiverError {
  constructor(readonly contentType: string, accepted: readonly string[]) {
    super('RECV_ERR_UNSUPPORTED_MEDIA_TYPE', `unsupported content type ${JSON.stringify(contentType)}; use ${accepted.join(' or ')}`);
  }
}

/** A Content-Encoding other than gzip, deflate or identity. */
export class UnsupportedEncodingError extends ReceiverError {
  constructor(readonly encoding: string) {
    super('RECV_ERR_UNSUPPORTED_ENCODING', `unsupported content encoding ${JSON.stringify(encoding)}; use gzip, deflate or identity`);
  }
}

/** A compressed body that does not decompress. */
export class BadCompressionError extends ReceiverError {
  constructor(encoding: string, options?: { cause?: unknown }) {
    const detail = options?.cause instanceof Error ? `: ${options.cause.message}` : '';
    super('RECV_ERR_BAD_COMPRESSION', `body is not valid ${encoding}${detail}`, options);
  }
}

/** The client went away before sending the whole body; nobody reads the answer. */
export class RequestAbortedError extends ReceiverError {
  constructor(options?: { cause?: unknown }) {
    super('RECV_ERR_REQUEST_ABORTED', 'the client closed the connection before the body was complete', options);
  }
}

/** A missing or wrong auth token. */
export class UnauthorizedError extends ReceiverError {
  constructor() {
    super('RECV_ERR_UNAUTHORIZED', 'missing or invalid token (send Authorization: Bearer <token> or x-zeroscope-token)');
  }
}

/**
 * A ready-made PushFailure for pushers: `new PushRejectedError('store is busy', { httpStatus: 503,
 * retryAfterSeconds: 2 })`. Stores may throw their own classes with the same fields instead. Its
 * answer is the pusher's, so it is not in {@link RECEIVER_ERROR_CODES}.
 */
export class PushRejectedError extends codedError<'RECV_ERR_PUSH_REJECTED'>() {
  readonly httpStatus: number;
  readonly grpcCode?: number;
  readonly retryAfterSeconds?: number;
  constructor(
    message: string,
    options: { httpStatus: number; grpcCode?: number; retryAfterSeconds?: number; cause?: unknown },
  ) {
    super('RECV_ERR_PUSH_REJECTED', message, options);
    this.httpStatus = options.httpStatus;
    this.grpcCode = options.grpcCode;
    this.retryAfterSeconds = options.retryAfterSeconds;
  }
}

/** Every error class of this package, for the codes test. */
export const receiverErrorClasses = [
  BodyTooLargeError,
  TooManyChunksError,
  BodyTooSlowError,
  UnsupportedMediaTypeError,
  UnsupportedEncodingError,
  BadCompressionError,
  RequestAbortedError,
  UnauthorizedError,
  ReceiversBusyError,
  PushRejectedError,
] as const;
