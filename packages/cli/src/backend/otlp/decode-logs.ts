/**
 * OTLP logs request bodies: protobuf (HTTP `application/x-protobuf` and gRPC messages) and
 * OTLP/JSON, decoded through the same schema walk as traces, then checked against the rules
 * protobuf cannot express (id lengths, known severity numbers).
 */
import { decodeJsonMessage } from './decode-json.ts';
import { OtlpDecodeError } from './errors.ts';
import { SPAN_ID_BYTES, TRACE_ID_BYTES } from './model/ids.ts';
import { MAX_SEVERITY_NUMBER, otlpLogsTypes } from './logs-schema.ts';
import type { ExportLogsServiceRequest } from './model/logs-types.ts';

/**
 * Decodes an ExportLogsServiceRequest from protobuf bytes and checks it.
 * @throws OtlpDecodeError when the bytes are not a valid request.
 */
export function decodeLogsProtobufRequest(bytes: Uint8Array): ExportLogsServiceRequest {
  let request: ExportLogsServiceRequest;
  try {
    request = otlpLogsTypes.ExportLogsServiceRequest.decode(bytes) as unknown as ExportLogsServiceRequest;
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error);
    throw new OtlpDecodeError('protobuf', detail, { cause: error });
  }
  validateLogsRequest(request, 'protobuf');
  return request;
}

/**
 * Decodes an OTLP/JSON ExportLogsServiceRequest (hex ids, enum names or numbers, int64 as
 * strings, either key case) and checks it.
 * @throws OtlpDecodeError whose reason names the offending field path.
 */
export function decodeLogsJsonRequest(text: string): ExportLogsServiceRequest {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new OtlpDecodeError('json', `not valid JSON: ${(error as Error).message}`, { cause: error });
  }
  const request = decodeJsonMessage<ExportLogsServiceRequest>(otlpLogsTypes.ExportLogsServiceRequest, parsed);
  validateLogsRequest(request, 'json');
  return request;
}

/**
 * Throws OtlpDecodeError naming the first record with a bad trace id (not empty and not 16
 * bytes), span id (not empty and not 8 bytes) or an unknown severity number. Returns the number
 * of log records.
 */
export function validateLogsRequest(request: ExportLogsServiceRequest, format: 'protobuf' | 'json'): number {
  let count = 0;
  request.resourceLogs.forEach((rl, r) => {
    rl.scopeLogs.forEach((sl, s) => {
      sl.logRecords.forEach((record, i) => {
        const at = `resourceLogs[${r}].scopeLogs[${s}].logRecords[${i}]`;
        checkOptionalId(format, `${at}.traceId`, record.traceId, TRACE_ID_BYTES);
        checkOptionalId(format, `${at}.spanId`, record.spanId, SPAN_ID_BYTES);
        if (!(record.severityNumber >= 0 && record.severityNumber <= MAX_SEVERITY_NUMBER)) {
          throw new OtlpDecodeError(format, `${at}.severityNumber: unknown severity number ${record.severityNumber}`);
        }
        count++;
      });
    });
  });
  return count;
}

/** The number of log records in a request (0 for an empty flush). */
export function countLogRecords(request: ExportLogsServiceRequest): number {
  let count = 0;
  for (const rl of request.resourceLogs) for (const sl of rl.scopeLogs) count += sl.logRecords.length;
  return count;
}

function checkOptionalId(format: 'protobuf' | 'json', path: string, id: Uint8Array, bytes: number): void {
  if (id.length !== 0 && id.length !== bytes) {
    throw new OtlpDecodeError(format, `${path}: expected ${bytes} bytes, got ${id.length}`);
  }
}

/** ExportLogsServiceResponse as protobuf bytes (empty for plain success). */
export function encodeLogsExportResponse(): Uint8Array {
  const type = otlpLogsTypes.ExportLogsServiceResponse;
  return type.encode(type.create({})).finish();
}
