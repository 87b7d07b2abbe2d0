// OTLP logs into the receivers: records made by the official OTel JS log SDK and exported by
// @opentelemetry/exporter-logs-otlp-proto must decode to exactly what the SDK recorded; JSON,
// gzip and gRPC work; failures get the same answers as trace exports.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { gzipSync } from 'node:zlib';
import * as grpc from '@grpc/grpc-js';
import { ROOT_CONTEXT, TraceFlags, trace } from '@opentelemetry/api';
import { SeverityNumber } from '@opentelemetry/api-logs';
import { OTLPLogExporter } from '@opentelemetry/exporter-logs-otlp-proto';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { InMemoryLogRecordExporter, LoggerProvider, SimpleLogRecordProcessor } from '@opentelemetry/sdk-logs';
import {
  LOGS_EXPORT_PATH,
  bytesToHex,
  keyValuesToAttributes,
  anyValueToAttr,
  longToBigInt,
  otlpLogsTypes,
  type ExportLogsServiceRequest,
} from '../otlp/index.ts';
import { PushRejectedError, createMemoryPusher, createOtlpGrpcReceiver, createOtlpHttpReceiver, type LogsPusher } from './index.ts';
import { grpcClientOf, grpcExportCall, send } from './testing/index.ts';

const TRACE_ID = '0af7651916cd43dd8448eb211c80319c';
const SPAN_ID = 'b7ad6b7169203331';

function memoryLogs(): LogsPusher & { requests: ExportLogsServiceRequest[]; fail?: unknown } {
  const requests: ExportLogsServiceRequest[] = [];
  const pusher = {
    requests,
    fail: undefined as unknown,
    async push(request: ExportLogsServiceRequest) {
      if (pusher.fail !== undefined) throw pusher.fail;
      requests.push(request);
    },
  };
  return pusher;
}

const records = (p: { requests: ExportLogsServiceRequest[] }) =>
  p.requests.flatMap((r) => r.resourceLogs.flatMap((rl) => rl.scopeLogs.flatMap((sl) => sl.logRecords.map((record) => ({ rl, sl, record })))));

describe('OTLP/HTTP logs (POST /v1/logs)', () => {
  const logs = memoryLogs();
  const traces = createMemoryPusher();
  const receiver = createOtlpHttpReceiver({ port: 0, pusher: traces, logs });
  let port = 0;
  before(async () => ({ port } = await receiver.start()));
  after(() => receiver.stop());

  it('receives records from the official log exporter intact', async () => {
    const memory = new InMemoryLogRecordExporter();
    const provider = new LoggerProvider({
      resource: resourceFromAttributes({ 'service.name': 'order', 'deployment.environment': 'test' }),
      processors: [
        new SimpleLogRecordProcessor({ exporter: memory }),
        new SimpleLogRecordProcessor({ exporter: new OTLPLogExporter({ url: `http://127.0.0.1:${port}/v1/logs` }) }),
      ],
    });
    const logger = provider.getLogger('zeroscope-log-test', '2.0.0');
    const inSpan = trace.setSpanContext(ROOT_CONTEXT, { traceId: TRACE_ID, spanId: SPAN_ID, traceFlags: TraceFlags.SAMPLED });
    logger.emit({
      severityNumber: SeverityNumber.WARN,
      severityText: 'warn',
      body: 'slow request',
      attributes: { 'http.route': '/api/order/:id', 'duration.ms': 812, cached: false },
      timestamp: [1_700_000_000, 123_456_789],
      context: inSpan,
    });
    logger.emit({ severityNumber: SeverityNumber.INFO, body: { structured: 'yes', n: 2 }, context: ROOT_CONTEXT });
    await provider.forceFlush();
    const sdk = memory.getFinishedLogRecords(); // shutdown empties the memory exporter
    await provider.shutdown();

    const got = records(logs);
    assert.equal(got.length, 2);
    const { rl, sl, record } = got.find((g) => g.record.severityNumber === SeverityNumber.WARN)!;
    assert.equal(bytesToHex(record.traceId), TRACE_ID);
    assert.equal(bytesToHex(record.spanId), SPAN_ID);
    assert.equal(record.flags & 0xff, TraceFlags.SAMPLED);
    assert.equal(record.severityText, 'warn');
    assert.equal(anyValueToAttr(record.body), 'slow request');
    assert.deepEqual(keyValuesToAttributes(record.attributes), { 'http.route': '/api/order/:id', 'duration.ms': 812, cached: false });
    assert.equal(longToBigInt(record.timeUnixNano), 1_700_000_000_123_456_789n);
    const sdkWarn = sdk.find((r) => r.severityNumber === SeverityNumber.WARN)!;
    assert.equal(longToBigInt(record.observedTimeUnixNano), BigInt(sdkWarn.hrTimeObserved[0]) * 1_000_000_000n + BigInt(sdkWarn.hrTimeObserved[1]));
    assert.equal(keyValuesToAttributes(rl.resource?.attributes)['service.name'], 'order');
    assert.equal(keyValuesToAttributes(rl.resource?.attributes)['deployment.environment'], 'test');
    assert.equal(sl.scope?.name, 'zeroscope-log-test');
    assert.equal(sl.scope?.version, '2.0.0');
    const structured = got.find((g) => g.record.severityNumber === SeverityNumber.INFO)!.record;
    assert.deepEqual(anyValueToAttr(structured.body), { structured: 'yes', n: 2 });
    assert.equal(structured.traceId.length, 0, 'a record outside a span carries no trace id');
    assert.equal(traces.requests.length, 0, 'logs never reach the trace pusher');
  });

  it('takes OTLP/JSON, gzipped or not, and answers {}', async () => {
    const body = JSON.stringify({ resourceLogs: [{ scopeLogs: [{ logRecords: [{ body: { stringValue: 'json log' }, traceId: TRACE_ID, severityNumber: 9 }] }] }] });
    const before = logs.requests.length;
    const plain = await send(port, { path: '/v1/logs', headers: { 'content-type': 'application/json' }, body });
    assert.equal(plain.status, 200);
    assert.equal(plain.body.toString(), '{}');
    const zipped = await send(port, { path: '/v1/logs', headers: { 'content-type': 'application/json', 'content-encoding': 'gzip' }, body: gzipSync(body) });
    assert.equal(zipped.status, 200);
    assert.equal(logs.requests.length, before + 2);
    assert.equal(anyValueToAttr(logs.requests.at(-1)!.resourceLogs[0].scopeLogs[0].logRecords[0].body), 'json log');
  });

  it('answers bad payloads, media types, methods and push failures like the trace endpoint', async () => {
    const bad = await send(port, { path: '/v1/logs', headers: { 'content-type': 'application/json' }, body: '{"resourceLogs":[{"scopeLogs":[{"logRecords":[{"spanId":"zz"}]}]}]}' });
    assert.equal(bad.status, 400);
    assert.match(JSON.parse(bad.body.toString()).message, /logRecords\[0\]\.spanId/);
    assert.equal((await send(port, { path: '/v1/logs', headers: { 'content-type': 'text/plain' }, body: 'x' })).status, 415);
    const get = await send(port, { method: 'GET', path: '/v1/logs' });
    assert.equal(get.status, 405);
    assert.equal(get.headers.allow, 'POST');
    logs.fail = new PushRejectedError('busy', { httpStatus: 503, retryAfterSeconds: 3 });
    try {
      const type = otlpLogsTypes.ExportLogsServiceRequest;
      const proto = Buffer.from(type.encode(type.fromObject({ resourceLogs: [{ scopeLogs: [{ logRecords: [{ severityNumber: 9 }] }] }] })).finish());
      const busy = await send(port, { path: '/v1/logs', headers: { 'content-type': 'application/x-protobuf' }, body: proto });
      assert.equal(busy.status, 503);
      assert.equal(busy.headers['retry-after'], '3');
    } finally {
      logs.fail = undefined;
    }
  });

  it('keeps /v1/logs a 404 when the receiver has no logs pusher', async () => {
    const bare = createOtlpHttpReceiver({ port: 0, pusher: createMemoryPusher() });
    const { port: barePort } = await bare.start();
    try {
      assert.equal((await send(barePort, { path: '/v1/logs', headers: { 'content-type': 'application/json' }, body: '{}' })).status, 404);
    } finally {
      await bare.stop();
    }
  });
});

describe('OTLP/gRPC LogsService', () => {
  const logs = memoryLogs();
  const receiver = createOtlpGrpcReceiver({ port: 0, pusher: createMemoryPusher(), logs });
  const client = grpcClientOf(receiver);

  const call = (body: Uint8Array) => grpcExportCall(client(), LOGS_EXPORT_PATH, body);

  it('accepts an export and refuses garbage with INVALID_ARGUMENT', async () => {
    const type = otlpLogsTypes.ExportLogsServiceRequest;
    const ok = await call(type.encode(type.fromObject({ resourceLogs: [{ scopeLogs: [{ logRecords: [{ body: { stringValue: 'via grpc' } }] }] }] })).finish());
    assert.equal(ok.error, null);
    assert.equal(ok.response!.length, 0);
    assert.equal(anyValueToAttr(records(logs)[0].record.body), 'via grpc');
    const bad = await call(Buffer.from('not protobuf at all'));
    assert.equal(bad.error?.code, grpc.status.INVALID_ARGUMENT);
  });
});
