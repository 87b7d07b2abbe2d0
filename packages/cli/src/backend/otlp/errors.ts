/**
 * Errors of the OTLP codecs. Each has a stable `code`, and the HTTP status and gRPC code a
 * receiver answers with, so receivers map errors without knowing every class.
 */
import { codedError } from '../../shared/coded-error.ts';

/** gRPC INVALID_ARGUMENT. */
const GRPC_INVALID_ARGUMENT = 3;

/** The stable codes of the codec errors, with the HTTP status each maps to. */
export const OTLP_ERROR_CODES = {
  /** An OTLP protobuf or OTLP/JSON payload that cannot be decoded or breaks the OTLP rules. */
  OTLP_ERR_DECODE: 400,
  /** A Zipkin v2 JSON payload that is not a list of valid spans. */
  OTLP_ERR_ZIPKIN_DECODE: 400,
} as const;

export type OtlpErrorCode = keyof typeof OTLP_ERROR_CODES;

const OtlpError = codedError({ answer: (code: OtlpErrorCode) => ({ httpStatus: OTLP_ERROR_CODES[code], grpcCode: GRPC_INVALID_ARGUMENT }) });

/** The payload formats the codecs read. */
export type PayloadFormat = 'protobuf' | 'json' | 'zipkin';

/**
 * An OTLP payload (protobuf or OTLP/JSON) that cannot be decoded or breaks the OTLP rules
 * (bad id length, wrong type at a field). `reason` names the field path, e.g.
 * `resourceSpans[0].scopeSpans[0].spans[3].traceId: expected 32 hex characters`.
 */
export class OtlpDecodeError extends OtlpError {
  constructor(
    readonly format: Exclude<PayloadFormat, 'zipkin'>,
    readonly reason: string,
    options?: { cause?: unknown },
  ) {
    super('OTLP_ERR_DECODE', `invalid OTLP ${format === 'json' ? 'JSON' : 'protobuf'} payload: ${reason}`, options);
  }
}

/** A Zipkin v2 JSON payload that is not a list of valid spans; `reason` names the span and field. */
export class ZipkinDecodeError extends OtlpError {
  constructor(readonly reason: string, options?: { cause?: unknown }) {
    super('OTLP_ERR_ZIPKIN_DECODE', `invalid Zipkin v2 payload: ${reason}`, options);
  }
}

/** Every error class of this package, for registries and the codes test. */
export const otlpErrorClasses = [OtlpDecodeError, ZipkinDecodeError] as const;
