import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import { after, describe, it } from 'node:test';
import { SpanKind, trace } from '@opentelemetry/api';
import { ExportResultCode, type ExportResult } from '@opentelemetry/core';
import { installTestTracer } from '../testing/index.ts';
import { createTracerProvider, type AgentConf } from '../agent.ts';
import { TelemetrySchema } from '../config.ts';
import { TraceError } from '../errors.ts';
import { startOtlpGrpcReceiver, startOtlpHttpReceiver, startZipkinReceiver, type TestReceiver } from '../testing/receivers.ts';
import { createExporter } from './registry.ts';

const quiet = () => {};

function conf(fields: Record<string, unknown>): AgentConf {
  return { ...TelemetrySchema.parse(fields), Name: 'svc-under-test' };
}

/** Ends one span named `name` through a provider built from `c`, flushes and shuts the provider down. */
async function sendSpan(c: AgentConf, name: string): Promise<void> {
  const provider = createTracerProvider(c, { log: quiet });
  provider.getTracer('test').startSpan(name).end();
  await provider.forceFlush();
  await provider.shutdown();
}

async function receiverFor(start: () => Promise<TestReceiver>): Promise<TestReceiver> {
  const r = await start();
  after(() => r.close());
  return r;
}

describe('exporters deliver to a real receiver of their protocol', () => {
  it('otlphttp: protobuf body at OtlpHttpPath with OtlpHeaders', async () => {
    const r = await receiverFor(startOtlpHttpReceiver);
    await sendSpan(conf({ Batcher: 'otlphttp', Endpoint: r.endpoint, OtlpHttpPath: '/custom/traces', OtlpHeaders: { 'x-api-key': 's3cret' } }), 'op-http');
    assert.equal(r.exports.length, 1);
    const [got] = r.exports;
    assert.equal(got?.path, '/custom/traces');
    assert.equal(got?.contentType, 'application/x-protobuf');
    assert.equal(got?.headers['x-api-key'], 's3cret');
    assert.deepEqual(got?.spans.map((s) => [s.name, s.service]), [['op-http', 'svc-under-test']]);
    assert.match(got?.spans[0]?.traceId ?? '', /^[0-9a-f]{32}$/);
  });

  it('otlphttp: a full URL Endpoint is used as given', async () => {
    const r = await receiverFor(startOtlpHttpReceiver);
    await sendSpan(conf({ Batcher: 'otlphttp', Endpoint: `http://${r.endpoint}/otlp/v1/traces` }), 'op-url');
    assert.equal(r.exports[0]?.path, '/otlp/v1/traces');
    assert.equal(r.spans()[0]?.name, 'op-url');
  });

  it('otlpgrpc: TraceService/Export with OtlpHeaders as metadata', async () => {
    const r = await receiverFor(startOtlpGrpcReceiver);
    await sendSpan(conf({ Batcher: 'otlpgrpc', Endpoint: r.endpoint, OtlpHeaders: { 'x-api-key': 'grpc-key' } }), 'op-grpc');
    assert.equal(r.exports.length, 1);
    assert.equal(r.exports[0]?.headers['x-api-key'], 'grpc-key');
    assert.deepEqual(r.spans().map((s) => [s.name, s.service]), [['op-grpc', 'svc-under-test']]);
  });

  it('otlpgrpc: the fast pipeline sends what the official exporter (Pipeline: sdk) sends', async () => {
    const calls = [];
    for (const Pipeline of ['fast', 'sdk']) {
      const r = await receiverFor(startOtlpGrpcReceiver);
      await sendSpan(conf({ Batcher: 'otlpgrpc', Endpoint: r.endpoint, Pipeline, OtlpHeaders: { 'x-api-key': 'k' } }), 'same');
      const [got] = r.exports;
      calls.push({ path: got?.path, headers: got?.headers, spans: r.spans().map(({ traceId, spanId, ...rest }) => rest) });
    }
    assert.match(String(calls[0]?.headers?.['user-agent']), /^OTel-OTLP-Exporter-JavaScript\/\d+\.\d+\.\d+ grpc-node-js\//);
    assert.deepEqual(calls[0], calls[1]);
  });

  it('zipkin: v2 JSON at /api/v2/spans', async () => {
    const r = await receiverFor(startZipkinReceiver);
    await sendSpan(conf({ Batcher: 'zipkin', Endpoint: r.endpoint }), 'op-zipkin');
    assert.equal(r.exports[0]?.path, '/api/v2/spans');
    assert.match(r.exports[0]?.contentType ?? '', /application\/json/);
    assert.deepEqual(r.spans().map((s) => [s.name, s.service]), [['op-zipkin', 'svc-under-test']]);
  });

  it('jaeger: sent as OTLP/HTTP protobuf to Endpoint', async () => {
    const r = await receiverFor(startOtlpHttpReceiver);
    await sendSpan(conf({ Batcher: 'jaeger', Endpoint: r.endpoint }), 'op-jaeger');
    assert.equal(r.exports[0]?.path, '/v1/traces');
    assert.equal(r.exports[0]?.contentType, 'application/x-protobuf');
    assert.deepEqual(r.spans().map((s) => s.name), ['op-jaeger']);
  });

  it('file: one OTLP/JSON ExportTraceServiceRequest per line', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'zeroscope-file-'));
    after(() => rmSync(dir, { recursive: true, force: true }));
    const path = join(dir, 'nested', 'spans.jsonl');
    const provider = createTracerProvider(conf({ Batcher: 'file', Endpoint: path }), { log: quiet });
    provider.getTracer('test').startSpan('op-file-1').end();
    await provider.forceFlush();
    provider.getTracer('test').startSpan('op-file-2').end();
    await provider.shutdown();
    const lines = readFileSync(path, 'utf8').trimEnd().split('\n');
    assert.equal(lines.length, 2);
    const requests = lines.map((l) => JSON.parse(l) as { resourceSpans: { resource: { attributes: { key: string; value: { stringValue?: string } }[] }; scopeSpans: { spans: { name: string; traceId: string }[] }[] }[] });
    assert.deepEqual(requests.map((r) => r.resourceSpans[0]?.scopeSpans[0]?.spans[0]?.name), ['op-file-1', 'op-file-2']);
    const rs = requests[0]?.resourceSpans[0];
    assert.equal(rs?.resource.attributes.find((a) => a.key === 'service.name')?.value.stringValue, 'svc-under-test');
    assert.match(rs?.scopeSpans[0]?.spans[0]?.traceId ?? '', /^[0-9a-f]{32}$/, 'OTLP/JSON carries ids as hex');
  });
});

/** An HTTP server that records each request's raw body and answers 200 with an empty OTLP response. */
async function rawCapture(): Promise<{ endpoint: string; bodies: Array<{ headers: IncomingHttpHeaders; body: Buffer }> }> {
  const bodies: Array<{ headers: IncomingHttpHeaders; body: Buffer }> = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      bodies.push({ headers: req.headers, body: Buffer.concat(chunks) });
      res.writeHead(200, { 'content-type': 'application/x-protobuf' }).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  after(() => new Promise<void>((resolve) => server.close(() => resolve())));
  return { endpoint: `127.0.0.1:${(server.address() as { port: number }).port}`, bodies };
}

describe('Pipeline: fast and sdk put the same bytes on the wire', () => {
  it('otlphttp (and gzip): the same spans give the same request body and headers through either exporter', async () => {
    const tracing = installTestTracer();
    after(() => tracing.shutdown());
    const tracer = trace.getTracer('wire-test', '1.0.0');
    const server = tracer.startSpan('GET /api/order/:id', { kind: SpanKind.SERVER, attributes: { 'http.route': '/api/order/:id', 'server.port': 8888, ratio: 0.5, tags: ['a', 'b'] } });
    server.addEvent('message', { 'message.id': 1 });
    server.end();
    tracer.startSpan('second').end();
    const spans = tracing.spans();
    assert.equal(spans.length, 2);

    for (const OtlpCompression of ['none', 'gzip'] as const) {
      const capture = await rawCapture();
      for (const Pipeline of ['sdk', 'fast'] as const) {
        const { exporter } = createExporter({ ...conf({ Batcher: 'otlphttp', OtlpCompression, Pipeline }), Endpoint: capture.endpoint });
        const result = await new Promise<ExportResult>((resolve) => exporter.export(spans, resolve));
        assert.equal(result.code, ExportResultCode.SUCCESS, `${Pipeline}: ${String(result.error)}`);
        await exporter.shutdown();
      }
      const [sdk, fast] = capture.bodies;
      assert.ok(sdk && fast, `two requests arrived (${capture.bodies.length})`);
      assert.ok(fast.body.length > 100);
      assert.ok(fast.body.equals(sdk.body), `${OtlpCompression}: the fast pipeline's body is the SDK exporter's`);
      for (const header of ['content-type', 'content-encoding', 'user-agent']) assert.equal(fast.headers[header], sdk.headers[header], header);
    }
  });
});

describe('createExporter', () => {
  it('refuses an unknown Batcher with TRACE_ERR_UNKNOWN_EXPORTER', () => {
    const bad = { ...conf({}), Batcher: 'kafka', Endpoint: 'x:1' } as unknown as Parameters<typeof createExporter>[0];
    assert.throws(() => createExporter(bad), (e: unknown) => e instanceof TraceError && e.code === 'TRACE_ERR_UNKNOWN_EXPORTER' && /kafka/.test(e.message));
  });

  it('jaeger refuses the legacy collector URL and agent ports with a pointer to OTLP', () => {
    for (const Endpoint of ['http://jaeger:14268/api/traces', 'jaeger:6831', 'https://j.example/api/traces']) {
      assert.throws(
        () => createExporter({ ...conf({ Batcher: 'jaeger' }), Endpoint }),
        (e: unknown) => e instanceof TraceError && e.code === 'TRACE_ERR_BAD_ENDPOINT' && /OTLP/.test(e.message),
        Endpoint,
      );
    }
  });

  it('a malformed Endpoint is TRACE_ERR_BAD_ENDPOINT', () => {
    assert.throws(() => createExporter({ ...conf({ Batcher: 'otlphttp' }), Endpoint: 'ftp://x:1' }), (e: unknown) => e instanceof TraceError && e.code === 'TRACE_ERR_BAD_ENDPOINT');
  });
});
