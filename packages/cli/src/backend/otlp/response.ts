/**
 * What receivers answer: ExportTraceServiceResponse on success and google.rpc.Status on
 * failure, each as protobuf bytes or JSON text (OTLP/HTTP answers in the request's encoding).
 */
import { otlpTypes } from './schema.ts';

/** OTLP partial success: some spans were dropped, the rest accepted. */
export interface PartialSuccess {
  rejectedSpans: number | bigint;
  errorMessage: string;
}

/** A google.rpc.Status. `details` are protobuf Any values. */
export interface RpcStatus {
  /** A gRPC status code number. */
  code: number;
  message: string;
  details?: { typeUrl: string; value: Uint8Array }[];
}

const RETRY_INFO_TYPE_URL = 'type.googleapis.com/google.rpc.RetryInfo';

function responseObject(partial?: PartialSuccess): Record<string, unknown> {
  if (!partial) return {};
  return {
    partialSuccess: { rejectedSpans: String(partial.rejectedSpans), errorMessage: partial.errorMessage },
  };
}

/** ExportTraceServiceResponse as protobuf bytes (empty for plain success). */
export function encodeExportResponse(partial?: PartialSuccess): Uint8Array {
  const type = otlpTypes.ExportTraceServiceResponse;
  return type.encode(type.fromObject(responseObject(partial))).finish();
}

/** ExportTraceServiceResponse as OTLP/JSON text (`{}` for plain success). */
export function exportResponseJson(partial?: PartialSuccess): string {
  return JSON.stringify(responseObject(partial));
}

function statusObject(status: RpcStatus): Record<string, unknown> {
  return {
    code: status.code,
    message: status.message,
    details: (status.details ?? []).map((d) => ({ type_url: d.typeUrl, value: d.value })),
  };
}

/** google.rpc.Status as protobuf bytes (OTLP/HTTP protobuf error body, grpc-status-details-bin). */
export function encodeRpcStatus(status: RpcStatus): Uint8Array {
  const type = otlpTypes.RpcStatus;
  return type.encode(type.fromObject(statusObject(status))).finish();
}

/** google.rpc.Status as JSON text `{code, message, details}` (details' values in base64). */
export function rpcStatusJson(status: RpcStatus): string {
  return JSON.stringify({
    code: status.code,
    message: status.message,
    details: (status.details ?? []).map((d) => ({
      '@type': d.typeUrl,
      value: Buffer.from(d.value).toString('base64'),
    })),
  });
}

/** A google.rpc.RetryInfo detail telling the client to wait `seconds` before retrying. */
export function retryInfoDetail(seconds: number): { typeUrl: string; value: Uint8Array } {
  const whole = Math.max(0, Math.floor(seconds));
  const nanos = Math.round((Math.max(0, seconds) - whole) * 1e9);
  const type = otlpTypes.RetryInfo;
  const value = type.encode(type.fromObject({ retryDelay: { seconds: whole, nanos } })).finish();
  return { typeUrl: RETRY_INFO_TYPE_URL, value };
}
