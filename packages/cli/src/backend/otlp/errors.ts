/**
 * Errors of the OTLP codecs. Each has a stable `code`, and the HTTP status and gRPC code a
 * receiver answers with, so receivers map errors without knowing every class.
 */

/** gRPC INVALID_ARGUMENT. */
const GRPC_INVALID_ARGUMENT = 3;

/** The payload formats the codecs read. */
export type PayloadFormat = 'protobuf' | 'json' | 'zipkin';

/**
 * An OTLP payload (protobuf or OTLP/JSON) that cannot be decoded or breaks the OTLP rules
 * (bad id length, wrong type at a field). `reason` names the field path, e.g.
 * `resourceSpans[0].scopeSpans[0].spans[3].traceId: expected 32 hex characters`.
 */
export class OtlpDecodeError extends Error {
  readonly code = 'OTLP_ERR_DECODE';
  readonly httpStatus = 400;
  readonly grpcCode = GRPC_INVALID_ARGUMENT;
  override readonly name = 'OtlpDecodeError';

  constructor(
    readonly format: Exclude<PayloadFormat, 'zipkin'>,
    readonly reason: string,
    options?: { cause?: unknown },
  ) {
    super(`invalid OTLP ${format === 'json' ? 'JSON' : 'protobuf'} payload: ${reason}`, options);
  }
}

/** A Zipkin v2 JSON payload that is not a list of valid spans; `reason` names the span and field. */
export class ZipkinDecodeError extends Error {
  readonly code = 'OTLP_ERR_ZIPKIN_DECODE';
  readonly httpStatus = 400;
  readonly grpcCode = GRPC_INVALID_ARGUMENT;
  override readonly name = 'ZipkinDecodeError';

  constructor(readonly reason: string, options?: { cause?: unknown }) {
    super(`invalid Zipkin v2 payload: ${reason}`, options);
  }
}

/** Every error class of this package, for registries and the codes test. */
export const otlpErrorClasses = [OtlpDecodeError, ZipkinDecodeError] as const;
