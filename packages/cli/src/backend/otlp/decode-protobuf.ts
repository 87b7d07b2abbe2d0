/** OTLP/protobuf request bodies (HTTP `application/x-protobuf` and gRPC messages). */
import { OtlpDecodeError } from './errors.ts';
import { decodeTracesRequest } from './wire/fast-request-decoder.ts';
import type { ExportTraceServiceRequest } from './model/types.ts';
import { validateRequest, type DecodeOptions } from './validate-request.ts';

/**
 * Decodes an ExportTraceServiceRequest and checks its ids, with the hand-written decoder of
 * decode-spans.ts (plain objects; it rejects what protobufjs rejects). Each span keeps the bytes
 * it came in (see `receivedSpanBytes`), so the store need not encode it again.
 * @throws OtlpDecodeError when the bytes are not a valid request (truncated, wrong wire type, bad ids).
 */
export function decodeProtobufRequest(bytes: Uint8Array, options: DecodeOptions = {}): ExportTraceServiceRequest {
  let request: ExportTraceServiceRequest;
  try {
    request = decodeTracesRequest(bytes);
  } catch (error) {
    // RangeError on truncation, Error on bad wire types and on nesting past the depth limit,
    // TypeError on invalid UTF-8 (protobufjs' classes). All mean the same thing to a client.
    const detail = error instanceof Error ? error.message : String(error);
    throw new OtlpDecodeError('protobuf', detail, { cause: error });
  }
  if (options.checkSpans !== false) validateRequest(request, 'protobuf');
  return request;
}
