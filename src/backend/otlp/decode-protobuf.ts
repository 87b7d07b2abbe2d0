/** OTLP/protobuf request bodies (HTTP `application/x-protobuf` and gRPC messages). */
import { OtlpDecodeError } from './errors.ts';
import { decodeRequestKeepingSpanBytes } from './received-span-bytes.ts';
import type { ExportTraceServiceRequest } from './types.ts';
import { validateRequest } from './validate-request.ts';

/**
 * Decodes an ExportTraceServiceRequest and checks its ids. Each span keeps the bytes it came in
 * (see `receivedSpanBytes`), so the store need not encode it again.
 * @throws OtlpDecodeError when the bytes are not a valid request (truncated, wrong wire type, bad ids).
 */
export function decodeProtobufRequest(bytes: Uint8Array): ExportTraceServiceRequest {
  let request: ExportTraceServiceRequest;
  try {
    request = decodeRequestKeepingSpanBytes(bytes);
  } catch (error) {
    // protobufjs throws RangeError on truncation, Error on bad wire types and on nesting past
    // its depth limit. All of them mean the same thing to a client.
    const detail = error instanceof Error ? error.message : String(error);
    throw new OtlpDecodeError('protobuf', detail, { cause: error });
  }
  validateRequest(request, 'protobuf');
  return request;
}
