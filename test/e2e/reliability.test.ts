/**
 * Issue 6, the framework's promises, end to end: tracing never hurts the service. Real processes
 * for what only a process can show (SIGTERM, exit codes, log lines); in-process servers for the
 * hostile-header tables.
 */
import assert from 'node:assert/strict';
import { request as httpRequest } from 'node:http';
import { connect } from 'node:net';
import { fileURLToPath } from 'node:url';
import { after, describe, test } from 'node:test';
import * as grpc from '@grpc/grpc-js';
import { propagation } from '@opentelemetry/api';
import { RestServer } from '../../packages/zeroscope/src/rest/index.ts';
import { RpcServer } from '../../packages/zeroscope/src/rpc/index.ts';
import { EchoService } from '../../packages/zeroscope/src/rpc/testdata/echo-service.ts';
import { installTestTracer } from '../../packages/zeroscope/src/trace/testing/index.ts';
import { startFaultyOtlpGrpcReceiver, startFaultyOtlpHttpReceiver, type FaultyReceiver } from '../../packages/zeroscope/src/trace/testing/receivers.ts';
import { freePort, removeTempDirs, startCollector, startSeedSystem, startService, writeConfig } from './harness.ts';
import { eventually } from '../lib/eventually.ts';

const SLOW_ENTRY = fileURLToPath(new URL('./slow-service-harness.ts', import.meta.url));
/** The exporters' timeout in the child processes (OTEL_EXPORTER_OTLP_TIMEOUT), short so outages show quickly. */
const EXPORT_TIMEOUT_MS = 1000;
// Children inherit it (startSeedSystem passes this process's environment on).
process.env.OTEL_EXPORTER_OTLP_TIMEOUT = String(EXPORT_TIMEOUT_MS);

after(() => removeTempDirs());

/** GET `url`; resolves with status and the time it took, or with the connection error's code. */
function get(url: string): Promise<{ status: number; ms: number } | { error: string }> {
  const started = performance.now();
  return new Promise((resolve) => {
    const req = httpRequest(url, { agent: false }, (res) => {
      res.resume();
      res.on('end', () => resolve({ status: res.statusCode ?? 0, ms: performance.now() - started }));
    });
    req.on('error', (err: NodeJS.ErrnoException) => resolve({ error: err.code ?? err.message }));
    req.end();
  });
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));


function slowServiceConf(port: number, endpoint: string): string {
  return writeConfig('slow.yaml', `Name: slow-svc\nHost: 127.0.0.1\nPort: ${port}\nTelemetry:\n  Endpoint: ${endpoint}\n`);
}

describe('SIGTERM with a request in flight', () => {
  test('the request completes with 200, a new one is refused, spans are flushed, exit 0', async () => {
    const collector = await startCollector();
    after(() => collector.close());
    const port = await freePort();
    const svc = await startService(SLOW_ENTRY, slowServiceConf(port, collector.endpoint));
    after(() => svc.stop('SIGKILL'));
    const url = `http://127.0.0.1:${port}`;

    const inFlight = get(`${url}/slow?ms=800`);
    await eventually('the slow request to start', () => svc.output().includes('slow entered'), { pollMs: 25 });
    svc.proc.kill('SIGTERM');
    await eventually('the stop to begin', () => /SIGTERM: stopping/.test(svc.output()), { pollMs: 25 });
    const refused = await get(`${url}/ping`);
    assert.ok('error' in refused ? refused.error === 'ECONNREFUSED' : refused.status === 503, JSON.stringify(refused));

    const finished = await inFlight;
    assert.ok('status' in finished && finished.status === 200, JSON.stringify(finished));
    assert.equal(await svc.exited, 0, svc.output());
    const names = collector.spans().map((s) => s.name);
    assert.ok(names.includes('GET /slow'), `the in-flight request's span was flushed: ${names.join(', ')}`);
  });

  test('with the exporter endpoint hanging, stopping is still bounded and exits 0', async () => {
    const hanging = await startFaultyOtlpHttpReceiver({ kind: 'hang' });
    after(() => hanging.close());
    const port = await freePort();
    const svc = await startService(SLOW_ENTRY, slowServiceConf(port, hanging.endpoint), { OTEL_EXPORTER_OTLP_TIMEOUT: '60000' });
    after(() => svc.stop('SIGKILL'));
    for (let i = 0; i < 5; i++) assert.deepEqual(await get(`http://127.0.0.1:${port}/ping`).then((r) => ('status' in r ? r.status : r)), 200);
    // A minute-long exporter timeout: only the agent's own stop bound lets this exit in time.
    assert.equal(await svc.stop('SIGTERM'), 0, svc.output());
  });

  test('with an OTLP/gRPC endpoint asking to retry in 30 s, stopping is still bounded: the wait between retries holds no exit', async () => {
    const busy = await startFaultyOtlpGrpcReceiver({ kind: 'status', code: grpc.status.UNAVAILABLE, retryDelayMs: 30_000 });
    after(() => busy.close());
    const port = await freePort();
    const conf = writeConfig('slow-grpc.yaml', `Name: slow-svc\nHost: 127.0.0.1\nPort: ${port}\nTelemetry:\n  Endpoint: ${busy.endpoint}\n  Batcher: otlpgrpc\n`);
    const svc = await startService(SLOW_ENTRY, conf, { OTEL_EXPORTER_OTLP_TIMEOUT: '60000' });
    after(() => svc.stop('SIGKILL'));
    for (let i = 0; i < 5; i++) assert.deepEqual(await get(`http://127.0.0.1:${port}/ping`).then((r) => ('status' in r ? r.status : r)), 200);
    await eventually('the first export to be refused', () => busy.requests() >= 1, { pollMs: 25 });
    const stopped = svc.stop('SIGTERM');
    const late = new Promise<string>((resolve) => setTimeout(() => resolve('still running after 15 s'), 15_000).unref());
    assert.equal(await Promise.race([stopped, late]), 0, svc.output());
  });

  test('a request arriving on a kept-alive connection while draining gets 503 and Connection: close', async (t) => {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    let entered!: () => void;
    const inHandler = new Promise<void>((resolve) => (entered = resolve));
    const server = new RestServer({ Name: 'drain', Host: '127.0.0.1', Port: 0 });
    server.addRoute({ method: 'GET', path: '/slow', handler: async () => { entered(); await gate; return 'done'; } });
    server.addRoute({ method: 'GET', path: '/ping', handler: () => 'pong' });
    await server.start();
    t.after(() => server.stop());
    const socket = connect(server.port, '127.0.0.1');
    t.after(() => socket.destroy());
    let raw = '';
    socket.on('data', (d: Buffer) => (raw += d.toString('latin1')));
    const closed = new Promise<void>((resolve) => socket.on('close', () => resolve()));
    socket.write('GET /slow HTTP/1.1\r\nHost: x\r\n\r\n');
    await inHandler;
    const stopped = server.stop();
    socket.write('GET /ping HTTP/1.1\r\nHost: x\r\n\r\n');
    await sleep(50);
    release();
    await closed;
    await stopped;
    const answers = raw.split(/(?=HTTP\/1\.1 )/);
    assert.equal(answers.length, 2, raw);
    assert.match(answers[0] ?? '', /^HTTP\/1\.1 200/);
    assert.match(answers[1] ?? '', /^HTTP\/1\.1 503/);
    assert.match(answers[1] ?? '', /connection: close/i);
    assert.doesNotMatch(raw, /pong/);
  });
});

describe('exporter endpoint failing in every way: the seed chain keeps answering', () => {
  test('500, 429 + Retry-After, hanging, then refusing: every request 200 within the export timeout, one warning per process', async () => {
    const endpoint = await startFaultyOtlpHttpReceiver({ kind: 'status', status: 500 });
    let current: FaultyReceiver | undefined = endpoint;
    after(() => current?.close());
    const { order, user, orderUrl } = await startSeedSystem(endpoint.endpoint);
    after(() => order.stop());
    after(() => user.stop());
    const latencies: number[] = [];
    const burst = async (n: number) => {
      for (let i = 0; i < n; i++) {
        const r = await get(`${orderUrl}/api/order/1`);
        assert.ok('status' in r && r.status === 200, JSON.stringify(r));
        latencies.push(r.ms);
      }
    };
    const phase = async (requestsBefore: number) => {
      await burst(20);
      // Let at least one export attempt fail (batches go out every second).
      await eventually('an export attempt', () => (current?.requests() ?? 0) > requestsBefore || current === undefined, { timeoutMs: 5000, pollMs: 25 }).catch(() => undefined);
      await sleep(EXPORT_TIMEOUT_MS + 500);
    };

    await phase(0);
    endpoint.setMode({ kind: 'status', status: 429, headers: { 'retry-after': '1' } });
    await phase(endpoint.requests());
    endpoint.setMode({ kind: 'hang' });
    await phase(endpoint.requests());
    await endpoint.close(); // refusing from now on
    current = undefined;
    await burst(20);
    await sleep(2 * EXPORT_TIMEOUT_MS + 500);

    const warnings = (out: string) => out.match(/exporting spans to .* failed/g) ?? [];
    assert.equal(warnings(order.output()).length, 1, order.output());
    assert.equal(warnings(user.output()).length, 1, user.output());
    assert.ok(Math.max(...latencies) < EXPORT_TIMEOUT_MS, `slowest request ${Math.max(...latencies).toFixed(0)} ms`);
  });
});

describe('hostile trace context never fails a request; baggage is limited', () => {
  const tracing = installTestTracer('hostile');
  after(() => tracing.shutdown());

  const longTracestate = Array.from({ length: 100 }, (_, i) => `v${i}=x${i}`).join(',');
  const manyBaggage = Array.from({ length: 1000 }, (_, i) => `k${i}=v${i}`).join(',');
  const bigBaggage = Array.from({ length: 100 }, (_, i) => `b${i}=${'x'.repeat(100)}`).join(',');
  const valid = '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01';
  const table: Array<[string, Record<string, string>]> = [
    ['huge traceparent', { traceparent: `00-${'a'.repeat(8000)}-b7ad6b7169203331-01` }],
    ['garbage traceparent', { traceparent: 'zz-!!-@@@-~~-00-00-00' }],
    ['all-zero trace id', { traceparent: '00-00000000000000000000000000000000-b7ad6b7169203331-01' }],
    ['100 tracestate entries', { traceparent: valid, tracestate: longTracestate }],
    ['1000 baggage members', { traceparent: valid, baggage: manyBaggage }],
    ['baggage over 8192 bytes', { baggage: bigBaggage }],
    ['malformed baggage', { baggage: '=,,;;%zz=%,k=%E0%A4%A' }],
  ];

  test('HTTP: every hostile header set answers 200; baggage capped at 180 members / 8192 bytes', async (t) => {
    const server = new RestServer({ Name: 'hostile', Host: '127.0.0.1', Port: 0 });
    server.addRoute({
      method: 'GET',
      path: '/baggage',
      handler: () => {
        const entries = propagation.getActiveBaggage()?.getAllEntries() ?? [];
        return { members: entries.length, bytes: entries.reduce((n, [k, v]) => n + k.length + v.value.length + 1, 0) };
      },
    });
    await server.start();
    t.after(() => server.stop());
    for (const [label, headers] of table) {
      const res = await fetch(`http://127.0.0.1:${server.port}/baggage`, { headers });
      assert.equal(res.status, 200, label);
      const body = (await res.json()) as { members: number; bytes: number };
      assert.ok(body.members <= 180 && body.bytes <= 8192, `${label}: ${JSON.stringify(body)}`);
      if (label === '1000 baggage members') assert.equal(body.members, 180);
    }
    // Invalid UTF-8 bytes straight on the wire (fetch would refuse to send them).
    const status = await new Promise<string>((resolve, reject) => {
      const socket = connect(server.port, '127.0.0.1');
      let raw = '';
      socket.on('data', (d: Buffer) => (raw += d.toString('latin1')));
      socket.on('end', () => resolve(raw.slice(0, 12)));
      socket.on('error', reject);
      socket.end(Buffer.concat([
        Buffer.from('GET /baggage HTTP/1.1\r\nHost: x\r\nConnection: close\r\ntraceparent: 00-'),
        Buffer.from([0xff, 0xfe, 0xc3, 0x28, 0x80]),
        Buffer.from('\r\nbaggage: k='),
        Buffer.from([0xed, 0xa0, 0x80, 0xff]),
        Buffer.from('\r\n\r\n'),
      ]));
    });
    assert.equal(status, 'HTTP/1.1 200');
  });

  test('gRPC metadata: hostile traceparent/tracestate/baggage never fail the call; baggage limited', async (t) => {
    const server = new RpcServer({ Name: 'hostile.rpc', ListenOn: '127.0.0.1:0' });
    server.addService(EchoService, {
      async Say() {
        return { text: String(propagation.getActiveBaggage()?.getAllEntries().length ?? 0), seq: 1, server: 'h' };
      },
      async *Repeat() {},
    });
    await server.start();
    t.after(() => server.stop());
    const client = new grpc.Client(server.address ?? '', grpc.credentials.createInsecure());
    t.after(() => client.close());
    const say = EchoService.definition.Say;
    for (const [label, headers] of table) {
      const metadata = new grpc.Metadata();
      for (const [k, v] of Object.entries(headers)) metadata.set(k, v.replace(/[^\x20-\x7e]/g, '?'));
      // Repeated keys too: each appears twice.
      for (const [k, v] of Object.entries(headers)) metadata.add(k, v.replace(/[^\x20-\x7e]/g, '?'));
      const reply = await new Promise<{ text: string }>((resolve, reject) => {
        client.makeUnaryRequest(say.path, say.requestSerialize, say.responseDeserialize, { text: 'x' }, metadata, (err, value) =>
          err ? reject(err) : resolve(value as { text: string }),
        );
      });
      assert.ok(Number(reply.text) <= 180, `${label}: ${reply.text} baggage members`);
    }
  });
});
