/**
 * Turns an ExportLogsServiceRequest into what the store writes: one RecordValue per log record
 * (OTLP/JSON conventions, resource and scope inlined) keyed by time and a hash of its content,
 * so a re-sent export (a retry after a lost answer) lands on the same keys.
 */
import { createHash } from 'node:crypto';
import protobuf from 'protobufjs';
import { bytesToHex, longToBigInt, otlpLogsRoot, type AnyValue, type ExportLogsServiceRequest, type KeyValue } from '../../otlp/index.ts';
import type { JsonAnyValue, JsonKeyValue } from '../types.ts';
import { LOG_LEVELS, levelOf } from '../levels.ts';
import { recordKey } from './keys.ts';
import type { RecordValue } from './tables.ts';

/** One record ready to write. */
export interface PreparedLog {
  key: Uint8Array;
  value: RecordValue;
  /** 16 bytes, or undefined outside a trace. */
  traceId: Uint8Array | undefined;
  level: number;
}

const AnyValueType = otlpLogsRoot.lookupType('opentelemetry.proto.common.v1.AnyValue');
const KeyValueType = otlpLogsRoot.lookupType('opentelemetry.proto.common.v1.KeyValue');
const JSON_OPTIONS: protobuf.IConversionOptions = { longs: String, bytes: String, defaults: false, json: true };

function anyValueJson(value: AnyValue | null | undefined): JsonAnyValue | undefined {
  if (!value) return undefined;
  return AnyValueType.toObject(value as unknown as protobuf.Message, JSON_OPTIONS) as JsonAnyValue;
}

function keyValuesJson(list: readonly KeyValue[] | null | undefined): JsonKeyValue[] {
  return (list ?? []).map((kv) => KeyValueType.toObject(kv as unknown as protobuf.Message, JSON_OPTIONS) as JsonKeyValue);
}

function serviceName(resource: JsonKeyValue[]): string {
  return resource.find((kv) => kv.key === 'service.name')?.value?.stringValue ?? '';
}

/** Every record of the request; `nowUnixNano` stands in for records with neither time set. */
export function prepareLogs(request: ExportLogsServiceRequest, nowUnixNano: bigint): PreparedLog[] {
  const out: PreparedLog[] = [];
  for (const rl of request.resourceLogs) {
    const resource = keyValuesJson(rl.resource?.attributes);
    const service = serviceName(resource);
    for (const sl of rl.scopeLogs) {
      const scopeName = sl.scope?.name ?? '';
      const scopeVersion = sl.scope?.version ?? '';
      for (const record of sl.logRecords) {
        const observed = longToBigInt(record.observedTimeUnixNano);
        const own = longToBigInt(record.timeUnixNano);
        const time = own > 0n ? own : observed > 0n ? observed : nowUnixNano;
        const level = levelOf(record.severityNumber, record.severityText);
        const value: RecordValue = {
          timeUnixNano: String(time),
          observedTimeUnixNano: String(observed),
          severityNumber: record.severityNumber,
          severityText: record.severityText,
          level,
          attributes: keyValuesJson(record.attributes),
          droppedAttributesCount: record.droppedAttributesCount,
          traceId: presentId(record.traceId) ? bytesToHex(record.traceId) : '',
          spanId: presentId(record.spanId) ? bytesToHex(record.spanId) : '',
          flags: record.flags >>> 0,
          eventName: record.eventName,
          serviceName: service,
          resource,
          scopeName,
          scopeVersion,
        };
        const body = anyValueJson(record.body);
        if (body) value.body = body;
        const hash = createHash('sha1').update(JSON.stringify(value)).digest();
        out.push({
          key: recordKey(time, hash),
          value,
          traceId: value.traceId ? Buffer.from(value.traceId, 'hex') : undefined,
          level: LOG_LEVELS.indexOf(level),
        });
      }
    }
  }
  return out;
}

/** An id of all zeros is OTLP's "no id". */
function presentId(id: Uint8Array): boolean {
  return id.some((byte) => byte !== 0);
}
