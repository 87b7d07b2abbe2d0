/**
 * Errors the receivers answer with. Each has a stable `code`, an HTTP status and a gRPC code.
 * Decode errors come from ../otlp (OtlpDecodeError, ZipkinDecodeError), pusher errors from the store.
 */

/** A body (or gRPC message) larger than the limit, counted after decompression. */
export class BodyTooLargeError extends Error {
  readonly code = 'RECV_ERR_BODY_TOO_LARGE';
  readonly httpStatus = 413;
  readonly grpcCode = 8; // RESOURCE_EXHAUSTED
  override readonly name = 'BodyTooLargeError';
  constructor(readonly limitBytes: number) {
    super(`request body exceeds the limit of ${limitBytes} bytes (after decompression)`);
  }
}

/** A body cut into more chunks (read events) than any real client sends. */
export class TooManyChunksError extends Error {
  readonly code = 'RECV_ERR_TOO_MANY_CHUNKS';
  readonly httpStatus = 413;
  readonly grpcCode = 8; // RESOURCE_EXHAUSTED
  override readonly name = 'TooManyChunksError';
  constructor(readonly limitChunks: number) {
    super(`request body arrived in more than ${limitChunks} pieces; send it in larger chunks`);
  }
}

/** A body arriving slower than the minimum receive rate (after the grace period). */
export class BodyTooSlowError extends Error {
  readonly code = 'RECV_ERR_BODY_TOO_SLOW';
  readonly httpStatus = 408;
  readonly grpcCode = 4; // DEADLINE_EXCEEDED
  override readonly name = 'BodyTooSlowError';
  constructor(readonly minBytesPerSecond: number, graceMs: number) {
    super(`request body arrived slower than ${minBytesPerSecond} bytes/s after ${graceMs / 1000}s; connection closed`);
  }
}

/** A Content-Type the endpoint does not read. */
export class UnsupportedMediaTypeError extends Error {
  readonly code = 'RECV_ERR_UNSUPPORTED_MEDIA_TYPE';
  readonly httpStatus = 415;
  readonly grpcCode = 3; // INVALID_ARGUMENT
  override readonly name = 'UnsupportedMediaTypeError';
  constructor(readonly contentType: string, accepted: readonly string[]) {
    super(`unsupported content type ${JSON.stringify(contentType)}; use ${accepted.join(' or ')}`);
  }
}

/** A Content-Encoding other than gzip, deflate or identity. */
export class UnsupportedEncodingError extends Error {
  readonly code = 'RECV_ERR_UNSUPPORTED_ENCODING';
  readonly httpStatus = 415;
  readonly grpcCode = 3;
  override readonly name = 'UnsupportedEncodingError';
  constructor(readonly encoding: string) {
    super(`unsupported content encoding ${JSON.stringify(encoding)}; use gzip, deflate or identity`);
  }
}

/** A compressed body that does not decompress. */
export class BadCompressionError extends Error {
  readonly code = 'RECV_ERR_BAD_COMPRESSION';
  readonly httpStatus = 400;
  readonly grpcCode = 3;
  override readonly name = 'BadCompressionError';
  constructor(encoding: string, options?: { cause?: unknown }) {
    const detail = options?.cause instanceof Error ? `: ${options.cause.message}` : '';
    super(`body is not valid ${encoding}${detail}`, options);
  }
}

/** The client went away before sending the whole body; nobody reads the answer. */
export class RequestAbortedError extends Error {
  readonly code = 'RECV_ERR_REQUEST_ABORTED';
  readonly httpStatus = 400;
  readonly grpcCode = 1; // CANCELLED
  override readonly name = 'RequestAbortedError';
  constructor(options?: { cause?: unknown }) {
    super('the client closed the connection before the body was complete', options);
  }
}

/** A missing or wrong auth token. */
export class UnauthorizedError extends Error {
  readonly code = 'RECV_ERR_UNAUTHORIZED';
  readonly httpStatus = 401;
  readonly grpcCode = 16; // UNAUTHENTICATED
  override readonly name = 'UnauthorizedError';
  constructor() {
    super('missing or invalid token (send Authorization: Bearer <token> or x-zeroscope-token)');
  }
}

/**
 * A ready-made PushFailure for pushers: `new PushRejectedError('store is busy', { httpStatus: 503,
 * retryAfterSeconds: 2 })`. Stores may throw their own classes with the same fields instead.
 */
export class PushRejectedError extends Error {
  readonly code = 'RECV_ERR_PUSH_REJECTED';
  override readonly name = 'PushRejectedError';
  readonly httpStatus: number;
  readonly grpcCode?: number;
  readonly retryAfterSeconds?: number;
  constructor(
    message: string,
    options: { httpStatus: number; grpcCode?: number; retryAfterSeconds?: number; cause?: unknown },
  ) {
    super(message, { cause: options.cause });
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
  PushRejectedError,
] as const;
