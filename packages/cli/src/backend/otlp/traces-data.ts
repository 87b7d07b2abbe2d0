/**
 * TracesData, the storage form of spans. On the wire it is identical to ExportTraceServiceRequest
 * (both are `repeated ResourceSpans resource_spans = 1`), so request bytes are valid TracesData
 * bytes and a decoded request can be encoded as TracesData as is.
 */
import protobuf from 'protobufjs';
import { receivedSpanBytes } from './wire/fast-request-decoder.ts';
import { bytesToHex } from './model/ids.ts';
import { otlpTypes } from './schema.ts';
import type { TracesData } from './model/types.ts';

const ScopeSpansType = otlpTypes.ResourceSpans.fields.scopeSpans.resolve().resolvedType as protobuf.Type;
const ResourceType = otlpTypes.ResourceSpans.fields.resource.resolve().resolvedType as protobuf.Type;
const ScopeType = ScopeSpansType.fields.scope.resolve().resolvedType as protobuf.Type;

/**
 * Encodes TracesData (or a decoded ExportTraceServiceRequest) to protobuf bytes. Spans that
 * `decodeProtobufRequest` decoded are written as the bytes they came in (their objects are not
 * protobufjs messages); everything else through the schema's encoders, in field order.
 */
export function encodeTracesData(data: TracesData): Uint8Array {
  if (!data.resourceSpans.some((rs) => rs.scopeSpans.some((ss) => ss.spans.some((span) => receivedSpanBytes(span))))) {
    return otlpTypes.TracesData.encode(data as unknown as protobuf.Message).finish();
  }
  const w = protobuf.Writer.create();
  for (const rs of data.resourceSpans) {
    w.uint32(10).fork();
    if (rs.resource) ResourceType.encode(rs.resource, w.uint32(10).fork()).ldelim();
    for (const ss of rs.scopeSpans) {
      w.uint32(18).fork();
      if (ss.scope) ScopeType.encode(ss.scope, w.uint32(10).fork()).ldelim();
      for (const span of ss.spans) {
        const bytes = receivedSpanBytes(span);
        if (bytes) w.uint32(18).bytes(bytes);
        else otlpTypes.Span.encode(span as unknown as protobuf.Message, w.uint32(18).fork()).ldelim();
      }
      if (ss.schemaUrl) w.uint32(26).string(ss.schemaUrl);
      w.ldelim();
    }
    if (rs.schemaUrl) w.uint32(26).string(rs.schemaUrl);
    w.ldelim();
  }
  return w.finish();
}

/** Decodes stored TracesData bytes. Throws protobufjs' error on corrupt bytes (stored data is trusted). */
export function decodeTracesData(bytes: Uint8Array): TracesData {
  return otlpTypes.TracesData.decode(bytes) as unknown as TracesData;
}

/** How ids appear in OTLP JSON: the OTLP spec's hex, or protobuf's canonical base64 (Tempo's v1 trace JSON). */
export type JsonIdEncoding = 'hex' | 'base64';

/**
 * TracesData as an OTLP/JSON object: lowerCamelCase keys, int64 as decimal strings, enums as
 * numbers, default values omitted, ids in hex (default) or base64.
 */
export function tracesDataToJson(data: TracesData, ids: JsonIdEncoding = 'hex'): Record<string, unknown> {
  const json = otlpTypes.TracesData.toObject(data as unknown as protobuf.Message, {
    longs: String,
    enums: Number,
    bytes: String,
  });
  if (ids === 'hex') {
    for (const rs of (json.resourceSpans ?? []) as JsonResourceSpans[]) {
      for (const ss of rs.scopeSpans ?? []) {
        for (const span of ss.spans ?? []) {
          hexField(span, 'traceId');
          hexField(span, 'spanId');
          hexField(span, 'parentSpanId');
          for (const link of span.links ?? []) {
            hexField(link, 'traceId');
            hexField(link, 'spanId');
          }
        }
      }
    }
  }
  return json;
}

type IdHolder = Record<string, unknown>;
interface JsonResourceSpans {
  scopeSpans?: { spans?: (IdHolder & { links?: IdHolder[] })[] }[];
}

function hexField(holder: IdHolder, key: string): void {
  const value = holder[key];
  if (typeof value === 'string') holder[key] = bytesToHex(Buffer.from(value, 'base64'));
}
