import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders, type RequestListener } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import { after, describe, test } from 'node:test';
import { context, trace } from '@opentelemetry/api';
import protobuf from 'protobufjs';
import { installTestTracer } from '../trace/testing/index.ts';
import { createLogger } from './logger.ts';
import { LOCAL_ONLY } from './local-only.ts';
import { createOtlpLogExport, otlpLogsUrl } from './otlp-export.ts';
import { captureLines } from './testing/index.ts';

const LOGS_PROTO = fileURLToPath(new URL('../../../cli/src/backend/otlp/proto/logs_service.proto', import.meta.url));
const ExportLogsServiceRequest = protobuf.loadSync(LOGS_PROTO).lookupType('opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest');

interface KeyValue { key: string; value: Record<string, unknown> }
interface DecodedRecord {
  body: { stringValue: string };
  severityNumber: number;
  severityText: string;
  traceId: Uint8Array;
  spanId: Uint8Array;
  attributes: KeyValue[];
}
interface Decoded { resourceLogs: { resource: { attributes: KeyValue[] }; scopeLogs: { logRecords: DecodedRecord[] }[] }[] }

const TLS_DIR = new URL('../trace/testdata/tls/', import.meta.url);
const pem = (name: string) => readFileSync(new URL(name, TLS_DIR));

/**
 * An OTLP/HTTP logs endpoint answering `status`, keeping what it got: protobuf or JSON bodies,
 * gzip or not; with `tls`, HTTPS that demands a client certificate signed by the test CA.
 */
async function startReceiver(status = 200, tls = false) {
  const got: { path: string; headers: IncomingHttpHeaders; body: Decoded }[] = [];
  const handler: RequestListener = (req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const raw = Buffer.concat(chunks);
      const bytes = req.headers['content-encoding'] === 'gzip' ? gunzipSync(raw) : raw;
      const message = req.headers['content-type'] === 'application/json'
        ? ExportLogsServiceRequest.fromObject(JSON.parse(bytes.toString('utf8')))
        : ExportLogsServiceRequest.decode(bytes);
      const body = ExportLogsServiceRequest.toObject(message, { longs: Number, enums: Number, defaults: false }) as unknown as Decoded;
      got.push({ path: req.url ?? '', headers: req.headers, body });
      res.statusCode = status;
      res.setHeader('content-type', req.headers['content-type'] ?? 'application/x-protobuf');
      res.end();
    });
  };
  const server = tls
    ? createHttpsServer({ cert: pem('server.pem'), key: pem('server.key'), ca: pem('ca.pem'), requestCert: true, rejectUnauthorized: true }, handler)
    : createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { endpoint: `127.0.0.1:${port}`, got, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

const attr = (attributes: KeyValue[], key: string) => {
  const value = attributes.find((a) => a.key === key)?.value;
  return value === undefined ? undefined : Object.values(value)[0];
};

describe('otlpLogsUrl', () => {
  for (const [endpoint, path, secure, expected] of [
    ['127.0.0.1:4318', undefined, false, 'http://127.0.0.1:4318/v1/logs'],
    ['collector:4318', '/v1/traces', true, 'https://collector:4318/v1/logs'],
    ['127.0.0.1:4318', '/otlp/v1/traces', false, 'http://127.0.0.1:4318/otlp/v1/logs'],
    ['https://otlp.example.com/otlp', undefined, false, 'https://otlp.example.com/otlp/v1/logs'],
    ['http://tempo:4318/v1/traces', undefined, false, 'http://tempo:4318/v1/logs'],
    ['http://tempo:4318', undefined, false, 'http://tempo:4318/v1/logs'],
  ] as const) {
    test(`${endpoint} (${path ?? 'default path'}) → ${expected}`, () => {
      assert.equal(otlpLogsUrl(endpoint, path, secure), expected);
    });
  }
  test('a non-http endpoint is a LOG_ERR_EXPORT', () => {
    assert.throws(() => otlpLogsUrl('ftp://x:21'), { code: 'LOG_ERR_EXPORT' });
  });
});

describe('createOtlpLogExport', () => {
  const tracing = installTestTracer();
  after(() => tracing.shutdown());

  test('log lines arrive as OTLP protobuf at /v1/logs with their trace and span ids, attributes and resource', async (t) => {
    const receiver = await startReceiver();
    t.after(() => receiver.close());
    const exporter = createOtlpLogExport({
      endpoint: receiver.endpoint,
      headers: { 'x-scope-orgid': 'tenant-1' },
      serviceName: 'order',
      resource: { 'deployment.environment.name': 'dev' },
    });
    t.after(() => exporter.shutdown());
    const sink = captureLines();
    const log = createLogger({}, { destination: sink.stream, tee: exporter.stream, serviceName: 'order' });

    const span = trace.getTracer('t').startSpan('request');
    context.with(trace.setSpan(context.active(), span), () => {
      log.info({ orderId: 7, items: ['a', 'b'] }, 'order created');
      log.child({ module: 'billing' }).error(new Error('card declined'), 'payment failed');
    });
    span.end();
    log.debug('below the level: neither written nor exported');
    await exporter.forceFlush();

    assert.equal(sink.lines().length, 2, 'the tee does not replace the destination');
    assert.equal(receiver.got.length, 1);
    const [request] = receiver.got;
    assert.equal(request.path, '/v1/logs');
    assert.equal(request.headers['content-type'], 'application/x-protobuf');
    assert.equal(request.headers['x-scope-orgid'], 'tenant-1');
    const [resourceLogs] = request.body.resourceLogs;
    assert.equal(attr(resourceLogs.resource.attributes, 'service.name'), 'order');
    assert.equal(attr(resourceLogs.resource.attributes, 'deployment.environment.name'), 'dev');
    const [created, failed] = resourceLogs.scopeLogs.flatMap((s) => s.logRecords);
    const { traceId, spanId } = span.spanContext();
    for (const record of [created, failed]) {
      assert.equal(Buffer.from(record.traceId).toString('hex'), traceId);
      assert.equal(Buffer.from(record.spanId).toString('hex'), spanId);
    }
    assert.equal(created.body.stringValue, 'order created');
    assert.equal(created.severityNumber, 9);
    assert.equal(created.severityText, 'info');
    assert.equal(attr(created.attributes, 'orderId'), 7);
    assert.equal(attr(created.attributes, 'items'), '["a","b"]');
    assert.equal(attr(created.attributes, 'trace_id'), undefined, 'ids travel as fields of the record, not attributes');
    assert.equal(failed.severityNumber, 17);
    assert.equal(attr(failed.attributes, 'module'), 'billing');
    assert.equal(attr(failed.attributes, 'exception.message'), 'card declined');
    assert.equal(attr(failed.attributes, 'exception.type'), 'Error');
  });

  test('logs travel on the spans\' wire: gzip, JSON bodies, and TLS with a client certificate', async (t) => {
    const plain = await startReceiver();
    const secure = await startReceiver(200, true);
    t.after(() => Promise.all([plain.close(), secure.close()]));
    const exports = [
      createOtlpLogExport({ endpoint: plain.endpoint, serviceName: 'order', compression: 'gzip' }),
      createOtlpLogExport({ endpoint: plain.endpoint, serviceName: 'order', encoding: 'json', compression: 'gzip' }),
      createOtlpLogExport({
        endpoint: secure.endpoint,
        secure: true,
        serviceName: 'order',
        tls: { ca: pem('ca.pem'), cert: pem('client.pem'), key: pem('client.key') },
        warn: (message) => assert.fail(message),
      }),
    ];
    t.after(() => Promise.all(exports.map((e) => e.shutdown())));
    for (const [i, exporter] of exports.entries()) {
      createLogger({}, { destination: captureLines().stream, tee: exporter.stream }).info(`line ${i}`);
      await exporter.forceFlush();
    }

    const [gzipped, json] = plain.got;
    assert.equal(gzipped.headers['content-encoding'], 'gzip');
    assert.equal(gzipped.headers['content-type'], 'application/x-protobuf');
    assert.equal(json.headers['content-encoding'], 'gzip');
    assert.equal(json.headers['content-type'], 'application/json');
    assert.equal(secure.got.length, 1, 'the HTTPS receiver accepted the client certificate');
    const bodies = [gzipped, json, secure.got[0]].map((r) => r.body.resourceLogs[0].scopeLogs[0].logRecords[0].body.stringValue);
    assert.deepEqual(bodies, ['line 0', 'line 1', 'line 2']);
  });

  test('a failing endpoint is reported once per outage and never throws into the logger', async (t) => {
    const receiver = await startReceiver(400);
    t.after(() => receiver.close());
    const warnings: string[] = [];
    const exporter = createOtlpLogExport({ endpoint: receiver.endpoint, serviceName: 'order', warn: (m) => warnings.push(m) });
    t.after(() => exporter.shutdown());
    const log = createLogger({}, { destination: captureLines().stream, tee: exporter.stream });
    log.info('one');
    await exporter.forceFlush();
    log.info('two');
    await exporter.forceFlush();
    assert.equal(receiver.got.length, 2);
    assert.equal(warnings.length, 1);
    assert.match(warnings[0], /exporting logs to http:\/\/127\.0\.0\.1:\d+\/v1\/logs failed/);
  });
});

describe('lines marked LOCAL_ONLY', () => {
  test('are written to the destination but not exported (info access lines without Log.ExportAccess)', async (t) => {
    const receiver = await startReceiver();
    t.after(() => receiver.close());
    const exporter = createOtlpLogExport({ endpoint: receiver.endpoint, serviceName: 'order' });
    t.after(() => exporter.shutdown());
    const sink = captureLines();
    const log = createLogger({}, { destination: sink.stream, tee: exporter.stream, serviceName: 'order' });

    log.info({ kind: 'http', status: 200, [LOCAL_ONLY]: true }, 'GET /api/order/1 200');
    log.info({ orderId: 7 }, 'order created');
    await exporter.forceFlush();

    assert.deepEqual(sink.lines().map((l) => l.msg), ['GET /api/order/1 200', 'order created']);
    const records = receiver.got.flatMap((r) => r.body.resourceLogs.flatMap((rl) => rl.scopeLogs.flatMap((s) => s.logRecords)));
    assert.deepEqual(records.map((r) => r.body.stringValue), ['order created']);
  });
});

describe('the export pipeline is built on the first exported line', () => {
  const records = (receiver: Awaited<ReturnType<typeof startReceiver>>) =>
    receiver.got.flatMap((r) => r.body.resourceLogs.flatMap((rl) => rl.scopeLogs.flatMap((s) => s.logRecords))).map((r) => r.body.stringValue);

  test('a line written right after set-up is exported, and shutdown sends it without waiting for the batch delay', async (t) => {
    const receiver = await startReceiver();
    t.after(() => receiver.close());
    const exporter = createOtlpLogExport({ endpoint: receiver.endpoint, serviceName: 'order' });
    const log = createLogger({}, { destination: captureLines().stream, tee: exporter.stream, serviceName: 'order' });
    log.info('first line');
    log.warn('second line');
    const started = performance.now();
    await exporter.shutdown();
    assert.deepEqual(records(receiver), ['first line', 'second line']);
    assert.ok(performance.now() - started < 1000, 'shutdown flushed at once (the batch delay is 1 s)');
  });

  test('flush and shutdown before any exported line send nothing and do not fail; lines after shutdown are not exported', async (t) => {
    const receiver = await startReceiver();
    t.after(() => receiver.close());
    const exporter = createOtlpLogExport({ endpoint: receiver.endpoint, serviceName: 'order' });
    const sink = captureLines();
    const log = createLogger({}, { destination: sink.stream, tee: exporter.stream, serviceName: 'order' });
    log.info({ [LOCAL_ONLY]: true }, 'local only');
    await exporter.forceFlush();
    await exporter.shutdown();
    log.info('after shutdown');
    await new Promise((resolve) => setTimeout(resolve, 50));
    assert.deepEqual(receiver.got, []);
    assert.deepEqual(sink.lines().map((l) => l.msg), ['local only', 'after shutdown'], 'the destination still gets every line');
  });
});
