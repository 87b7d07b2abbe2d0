import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { decodeLogsJsonRequest, decodeLogsProtobufRequest, encodeLogsExportResponse } from './decode-logs.ts';
import { OtlpDecodeError } from './errors.ts';
import { bytesToHex } from './model/ids.ts';
import { longToBigInt } from './model/longs.ts';
import { otlpLogsTypes } from './logs-schema.ts';

const TRACE = '5b8efff798038103d269b633813fc60c';
const SPAN = 'eee19b7ec3c1b174';

function jsonBody(record: Record<string, unknown>): string {
  return JSON.stringify({
    resourceLogs: [{ resource: { attributes: [{ key: 'service.name', value: { stringValue: 'order' } }] }, scopeLogs: [{ scope: { name: 'pino' }, logRecords: [record] }] }],
  });
}

describe('decodeLogsJsonRequest', () => {
  it('reads hex ids, severity by name or number, fixed64 times as strings and a body', () => {
    const request = decodeLogsJsonRequest(
      jsonBody({ timeUnixNano: '1700000000000000001', severityNumber: 'SEVERITY_NUMBER_WARN', severityText: 'warn', body: { stringValue: 'slow call' }, trace_id: TRACE, spanId: SPAN, attributes: [{ key: 'n', value: { intValue: '7' } }] }),
    );
    const record = request.resourceLogs[0].scopeLogs[0].logRecords[0];
    assert.equal(bytesToHex(record.traceId), TRACE);
    assert.equal(bytesToHex(record.spanId), SPAN);
    assert.equal(record.severityNumber, 13);
    assert.equal(longToBigInt(record.timeUnixNano), 1700000000000000001n);
    assert.equal(record.body?.stringValue, 'slow call');
    assert.equal(request.resourceLogs[0].scopeLogs[0].scope?.name, 'pino');
  });

  it('accepts records without ids (logs outside a trace)', () => {
    const record = decodeLogsJsonRequest(jsonBody({ body: { stringValue: 'boot' } })).resourceLogs[0].scopeLogs[0].logRecords[0];
    assert.equal(record.traceId.length, 0);
  });

  it('refuses bad ids and unknown severities with the field path', () => {
    assert.throws(() => decodeLogsJsonRequest(jsonBody({ traceId: 'abc' })), (e: unknown) => e instanceof OtlpDecodeError && /logRecords\[0\]\.traceId/.test(e.message));
    assert.throws(() => decodeLogsJsonRequest(jsonBody({ severityNumber: 99 })), OtlpDecodeError);
    assert.throws(() => decodeLogsJsonRequest('{'), OtlpDecodeError);
  });
});

describe('decodeLogsProtobufRequest', () => {
  it('round-trips a request encoded with the schema', () => {
    const type = otlpLogsTypes.ExportLogsServiceRequest;
    const bytes = type
      .encode(type.fromObject({ resourceLogs: [{ scopeLogs: [{ logRecords: [{ traceId: Buffer.from(TRACE, 'hex'), severityNumber: 17, body: { stringValue: 'x' } }] }] }] }))
      .finish();
    const record = decodeLogsProtobufRequest(bytes).resourceLogs[0].scopeLogs[0].logRecords[0];
    assert.equal(bytesToHex(record.traceId), TRACE);
    assert.equal(record.severityNumber, 17);
  });

  it('refuses truncated bytes and a 5-byte span id', () => {
    assert.throws(() => decodeLogsProtobufRequest(Uint8Array.of(0x0a, 0x05, 0x12)), OtlpDecodeError);
    const type = otlpLogsTypes.ExportLogsServiceRequest;
    const bytes = type.encode(type.fromObject({ resourceLogs: [{ scopeLogs: [{ logRecords: [{ spanId: Buffer.alloc(5, 1) }] }] }] })).finish();
    assert.throws(() => decodeLogsProtobufRequest(bytes), /spanId: expected 8 bytes/);
  });

  it('answers success with an empty ExportLogsServiceResponse', () => {
    assert.equal(encodeLogsExportResponse().length, 0);
  });
});
