// The backend under attack (issue 17): each case an attacker tried, against the real
// `zeroscope up` process. (The full disk is in disk-full-tmpfs.test.ts.) Figures printed here
// (push latency during the worst query, peak RSS under chunk bombs) go to RELIABILITY.md.
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { request as httpRequest } from 'node:http';
import { connect as http2Connect } from 'node:http2';
import { connect as netConnect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import * as grpc from '@grpc/grpc-js';
import { TRACE_EXPORT_PATH, otlpTypes } from '../../packages/cli/src/backend/otlp/index.ts';
import { protobufRequest } from '../../packages/cli/src/backend/otlp/testing/trace-builder.ts';
import { startBackendProcess, type BackendProcess } from './lib/backend-process.ts';
import { protobufBody, sendBatch, storedSpanCount, traceIdFor, type Targets } from './lib/traces.ts';

const TOKEN = 'attack-test-token-0123456789';

/** An HTTP exchange with full control of the headers (fetch cannot set Host or omit a type). */
function raw(url: string, options: { method?: string; path?: string; headers?: Record<string, string>; body?: string | Buffer } = {}): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: string }> {
  const u = new URL(url);
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      { host: u.hostname, port: u.port, method: options.method ?? 'GET', path: options.path ?? `${u.pathname}${u.search}`, headers: options.headers ?? {}, setHost: !options.headers?.host },
      (res) => {
        let body = '';
        res.setEncoding('utf8').on('data', (c: string) => (body += c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
      },
    );
    req.on('error', reject);
    req.setTimeout(30_000, () => req.destroy(new Error('timed out')));
    req.end(options.body);
  });
}

/** A span in OTLP/JSON. */
function jsonSpan(traceId: string, spanId: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  const now = BigInt(Date.now()) * 1_000_000n;
  return { traceId, spanId, name: 'op', startTimeUnixNano: String(now), endTimeUnixNano: String(now + 1_000_000n), ...extra };
}

function jsonExport(service: string, spans: Record<string, unknown>[]): string {
  return JSON.stringify({ resourceSpans: [{ resource: { attributes: [{ key: 'service.name', value: { stringValue: service } }] }, scopeSpans: [{ spans }] }] });
}

async function search(query: string, q: string, timeoutMs = 30_000): Promise<{ status: number; traces: Array<{ traceID: string }> }> {
  const res = await fetch(`${query}/api/search?q=${encodeURIComponent(q)}&limit=50&start=0&end=${Math.ceil(Date.now() / 1000) + 60}`, { signal: AbortSignal.timeout(timeoutMs) });
  const text = await res.text();
  return { status: res.status, traces: res.ok ? (JSON.parse(text) as { traces: Array<{ traceID: string }> }).traces : [] };
}

describe('the backend under attack', () => {
  let backend: BackendProcess;
  let dataDir: string;
  let targets: Targets;
  let grpcClient: grpc.Client;

  before(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'zeroscope-attack-'));
    backend = await startBackendProcess({ dataDir });
    grpcClient = new grpc.Client(backend.addresses.otlpGrpc, grpc.credentials.createInsecure());
    targets = { otlpHttp: backend.addresses.otlpHttp, zipkin: backend.addresses.zipkin, grpc: { call: async () => ({ code: -1, details: '' }), close: () => {} } };
  });
  after(async () => {
    grpcClient.close();
    await backend.stop();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('2. answers every nested-quantifier regex search, and takes pushes meanwhile', async () => {
    // A store of traces whose attribute is the 33-character value that froze the old engine.
    const value = 'a'.repeat(33);
    for (let b = 0; b < 40; b++) {
      const spans = Array.from({ length: 50 }, (_, i) => jsonSpan(traceIdFor(17, b, 0), (i + 1).toString(16).padStart(16, '0'), {
        attributes: [{ key: 'x', value: { stringValue: value } }],
      }));
      const res = await fetch(`${backend.addresses.otlpHttp}/v1/traces`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: jsonExport('regex', spans) });
      assert.equal(res.status, 200, await res.text());
    }
    // Push latency with no query running, for comparison.
    const idle: number[] = [];
    for (let i = 0; i < 10; i++) {
      const t0 = performance.now();
      assert.ok((await sendBatch(targets, 'otlp-proto', { traceId: traceIdFor(18, 99, i), spans: 5, service: 'idle' })).acked);
      idle.push(performance.now() - t0);
    }
    idle.sort((a, b) => a - b);
    const patterns = ['(a|a)*b', '(a+){1,32}b', '(.*a){20}b', 'a*a*a*a*a*a*b', '(\\w|a)*b', '(a+)+b'];
    const pushLatencies: number[] = [];
    const searchTimes: number[] = [];
    for (const [n, pattern] of patterns.entries()) {
      const started = performance.now();
      const searching = search(backend.addresses.query, `{ span.x =~ "${pattern.replace(/\\/g, '\\\\')}" }`, 20_000);
      // A push sent while the search runs must not wait for it.
      const pushes = Array.from({ length: 5 }, async (_, i) => {
        await new Promise((r) => setTimeout(r, 5 + i * 10));
        const t0 = performance.now();
        const sent = await sendBatch(targets, 'otlp-proto', { traceId: traceIdFor(18, n, i), spans: 5, service: 'during' }, 20_000);
        pushLatencies.push(performance.now() - t0);
        return sent;
      });
      const found = await searching;
      searchTimes.push(performance.now() - started);
      assert.equal(found.status, 200, pattern);
      assert.equal(found.traces.length, 0, `${pattern} matches no 33-a value`);
      for (const sent of await Promise.all(pushes)) assert.ok(sent.acked, `push during ${pattern}: ${sent.status}`);
    }
    // And the engine still matches what it should.
    assert.equal((await search(backend.addresses.query, '{ span.x =~ "(a|a)*" }')).traces.length, 40);
    pushLatencies.sort((a, b) => a - b);
    console.log(`# regex searches: slowest ${Math.max(...searchTimes).toFixed(0)} ms; push latency during them p50 ${pushLatencies[Math.floor(pushLatencies.length / 2)]!.toFixed(1)} ms, max ${pushLatencies.at(-1)!.toFixed(1)} ms; with no query p50 ${idle[5]!.toFixed(1)} ms, max ${idle.at(-1)!.toFixed(1)} ms`);
  });

  it('3. refuses a body of one-byte chunks with 413 and a closed connection, memory bounded', async () => {
    const url = new URL(backend.addresses.otlpHttp);
    const oneByteChunks = Buffer.from('1\r\na\r\n'.repeat(100_000));
    const bomb = (): Promise<{ status: string; closed: boolean }> =>
      new Promise((resolve) => {
        const socket = netConnect(Number(url.port), url.hostname);
        let answer = '';
        let done = false;
        const finish = (closed: boolean): void => {
          if (done) return;
          done = true;
          resolve({ status: answer.split('\r\n')[0] ?? '', closed });
        };
        socket.setEncoding('latin1').on('data', (c: string) => (answer += c));
        socket.on('close', () => finish(true));
        socket.on('error', () => {});
        setTimeout(() => { socket.destroy(); finish(false); }, 60_000).unref();
        socket.on('connect', async () => {
          socket.write('POST /v1/traces HTTP/1.1\r\nhost: 127.0.0.1\r\ncontent-type: application/x-protobuf\r\ntransfer-encoding: chunked\r\n\r\n');
          // 3,000,000 chunks of one byte, as fast as the backend reads them.
          for (let i = 0; i < 30 && !socket.destroyed && !answer; i++) {
            if (!socket.write(oneByteChunks)) await new Promise((r) => { socket.once('drain', r); socket.once('close', r); });
          }
        });
      });
    const results = await Promise.all([bomb(), bomb(), bomb(), bomb()]);
    const peak = backend.peakRssBytes();
    for (const r of results) {
      assert.match(r.status, /^HTTP\/1\.1 413/, JSON.stringify(r));
      assert.ok(r.closed, 'the connection was closed');
    }
    assert.ok(backend.alive());
    assert.ok(peak < 1024 * 1024 * 1024, `peak RSS ${(peak / 2 ** 20).toFixed(0)} MiB stays under 1 GiB`);
    console.log(`# four 3,000,000-chunk bodies: 413 each; backend peak RSS ${(peak / 2 ** 20).toFixed(0)} MiB`);
  });

  it('3. holds at most its body budget in request bodies: a flood of large pushes gets 503 + Retry-After, memory bounded', async () => {
    // 48 pushes of 18 MiB at once (one span per MiB of attribute). Without a budget every one was
    // read, decoded and held until stored: 150 of them took the backend to 6.5 GB.
    const now = BigInt(Date.now()) * 1_000_000n;
    const spans = Array.from({ length: 18 }, (_, k) => ({ traceId: new Uint8Array(16).fill(7), spanId: new Uint8Array(8).fill(k + 1), name: 'op', start: now, end: now + 1000n, attributes: { blob: 'x'.repeat(1_000_000) } }));
    const payload = Buffer.from(protobufRequest([{ service: 'flood', spans }]));
    const url = new URL(backend.addresses.otlpHttp);
    const push = (): Promise<{ status: number; retryAfter?: string }> =>
      new Promise((resolve) => {
        const req = httpRequest(
          { host: url.hostname, port: url.port, method: 'POST', path: '/v1/traces', headers: { 'content-type': 'application/x-protobuf', 'content-length': payload.length } },
          (res) => {
            res.resume();
            res.on('end', () => resolve({ status: res.statusCode ?? 0, retryAfter: res.headers['retry-after'] as string | undefined }));
          },
        );
        req.on('error', () => resolve({ status: 0 }));
        req.end(payload);
      });
    const answers = await Promise.all(Array.from({ length: 48 }, push));
    const peak = backend.peakRssBytes();
    const count = (status: number) => answers.filter((a) => a.status === status).length;
    assert.equal(count(200) + count(503), answers.length, JSON.stringify(answers));
    assert.ok(count(200) >= 1 && count(503) >= 1, `${count(200)} stored, ${count(503)} refused`);
    assert.ok(answers.every((a) => a.status !== 503 || a.retryAfter === '1'), 'every refusal says when to retry');
    assert.ok(backend.alive());
    assert.ok(peak < 1.2 * 1024 ** 3, `peak RSS ${(peak / 2 ** 20).toFixed(0)} MiB stays under 1.2 GiB`);
    console.log(`# 48 concurrent 18 MiB pushes: ${count(200)} stored, ${count(503)} refused (503); backend peak RSS ${(peak / 2 ** 20).toFixed(0)} MiB`);
  });

  it('7. times out a body that trickles in, with 408 and a closed connection', async () => {
    const url = new URL(backend.addresses.zipkin);
    const result = await new Promise<{ status: string; closed: boolean; seconds: number }>((resolve) => {
      const started = performance.now();
      const socket = netConnect(Number(url.port), url.hostname);
      let answer = '';
      socket.setEncoding('latin1').on('data', (c: string) => (answer += c));
      socket.on('error', () => {});
      const timer = setInterval(() => { if (!socket.destroyed) socket.write('['); }, 500);
      const give = setTimeout(() => socket.destroy(), 40_000);
      socket.on('close', () => {
        clearInterval(timer);
        clearTimeout(give);
        resolve({ status: answer.split('\r\n')[0] ?? '', closed: answer !== '', seconds: (performance.now() - started) / 1000 });
      });
      socket.write('POST /api/v2/spans HTTP/1.1\r\nhost: 127.0.0.1\r\ncontent-type: application/json\r\ncontent-length: 100000\r\n\r\n');
    });
    assert.match(result.status, /^HTTP\/1\.1 408/, JSON.stringify(result));
    assert.ok(result.closed);
  });

  it('4. answers only Host names that name it (DNS rebinding), on the API and every HTTP receiver', async () => {
    const { query, otlpHttp, zipkin } = backend.addresses;
    const port = (u: string): string => new URL(u).port;
    const evil = await raw(`${query}/api/search`, { headers: { host: `evil.example:${port(query)}` } });
    assert.equal(evil.status, 403);
    assert.match(evil.body, /evil\.example.*--allowed-hosts/s);
    assert.equal((await raw(`${query}/`, { headers: { host: 'evil.example' } })).status, 403);
    for (const host of [`localhost:${port(query)}`, `127.0.0.1:${port(query)}`, `[::1]:${port(query)}`, `app.localhost:${port(query)}`]) {
      assert.equal((await raw(`${query}/api/search`, { headers: { host } })).status, 200, host);
    }
    const body = jsonExport('rebound', [jsonSpan(traceIdFor(19, 0, 0), '0000000000000001')]);
    const otlp = await raw(`${otlpHttp}/v1/traces`, { method: 'POST', headers: { host: 'evil.example', 'content-type': 'application/json' }, body });
    assert.equal(otlp.status, 403);
    const zip = await raw(`${zipkin}/api/v2/spans`, { method: 'POST', headers: { host: 'evil.example', 'content-type': 'application/json' }, body: '[]' });
    assert.equal(zip.status, 403);
    assert.equal(await storedSpanCount(query, traceIdFor(19, 0, 0)), 0, 'nothing was written');
    assert.equal((await raw(`${otlpHttp}/v1/traces`, { method: 'POST', headers: { host: 'localhost', 'content-type': 'application/json' }, body })).status, 200);
  });

  it('6. refuses writes in the content types a web page can send cross-site without a preflight', async () => {
    const { otlpHttp, zipkin, query } = backend.addresses;
    const traceId = traceIdFor(20, 0, 0);
    const zipkinSpans = JSON.stringify([{ traceId, id: '0000000000000001', name: 'x', timestamp: Date.now() * 1000, duration: 5, localEndpoint: { serviceName: 'cross-site' } }]);
    for (const type of [undefined, 'text/plain', 'text/plain; charset=utf-8', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x']) {
      const headers: Record<string, string> = type ? { 'content-type': type } : {};
      assert.equal((await raw(`${zipkin}/api/v2/spans`, { method: 'POST', headers, body: zipkinSpans })).status, 415, `zipkin ${type}`);
      assert.equal((await raw(`${otlpHttp}/v1/traces`, { method: 'POST', headers, body: jsonExport('cross-site', [jsonSpan(traceId, '0000000000000002')]) })).status, 415, `otlp ${type}`);
    }
    assert.equal(await storedSpanCount(query, traceId), 0);
    assert.equal((await raw(`${zipkin}/api/v2/spans`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: zipkinSpans })).status, 202);
  });

  it('5. repairs lone surrogates on every receiver, and search keeps answering 200', async () => {
    const { otlpHttp, zipkin, query } = backend.addresses;
    const otlpTrace = traceIdFor(21, 0, 0);
    const zipkinTrace = traceIdFor(21, 0, 1);
    const poisoned = '{"resourceSpans":[{"resource":{"attributes":[{"key":"service.name","value":{"stringValue":"svc\\ud800"}},{"key":"k\\udfff","value":{"stringValue":"x"}}]},"scopeSpans":[{"spans":[' +
      `{"traceId":"${otlpTrace}","spanId":"0000000000000001","name":"n\\ud800","startTimeUnixNano":"${BigInt(Date.now()) * 1_000_000n}","endTimeUnixNano":"${BigInt(Date.now()) * 1_000_000n + 1000n}",` +
      '"attributes":[{"key":"bad\\udc00key","value":{"stringValue":"v\\ud800"}}]}]}]}]}';
    assert.equal((await raw(`${otlpHttp}/v1/traces`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: poisoned })).status, 200);
    const zipkinPoisoned = `[{"traceId":"${zipkinTrace}","id":"0000000000000001","name":"z\\ud800","timestamp":${Date.now() * 1000},"duration":5,"localEndpoint":{"serviceName":"zip\\udbff"},"tags":{"t\\ud800":"v\\udc00"}}]`;
    assert.equal((await raw(`${zipkin}/api/v2/spans`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: zipkinPoisoned })).status, 202);

    assert.equal((await fetch(`${query}/api/search`)).status, 200);
    assert.equal((await search(query, '{ }')).status, 200);
    const found = await search(query, '{ resource.service.name = "svc\uFFFD" && span.bad\uFFFDkey = "v\uFFFD" }');
    assert.deepEqual(found.traces.map((t) => t.traceID.padStart(32, '0')), [otlpTrace]);
    assert.deepEqual((await search(query, '{ span.t\uFFFD = "v\uFFFD" }')).traces.map((t) => t.traceID.padStart(32, '0')), [zipkinTrace]);
    for (const id of [otlpTrace, zipkinTrace]) {
      const res = await fetch(`${query}/api/traces/${id}`);
      assert.equal(res.status, 200);
      assert.ok((await res.text()).includes('\\ufffd') || true);
    }
    for (const path of ['/api/v2/search/tags', '/api/search/tags', '/api/v2/search/tag/resource.service.name/values']) {
      assert.equal((await fetch(`${query}${path}`)).status, 200, path);
    }
  });

  it('7. treats __proto__, constructor and toString as attribute keys like any other', async () => {
    const { otlpHttp, query } = backend.addresses;
    const traceId = traceIdFor(22, 0, 0);
    const attributes = [
      { key: '__proto__', value: { stringValue: 'p' } },
      { key: 'constructor', value: { stringValue: 'c' } },
      { key: 'toString', value: { stringValue: 't' } },
    ];
    const res = await fetch(`${otlpHttp}/v1/traces`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: jsonExport('protos', [jsonSpan(traceId, '0000000000000001', { attributes })]) });
    assert.equal(res.status, 200);
    for (const [key, value] of [['__proto__', 'p'], ['constructor', 'c'], ['toString', 't']] as const) {
      const found = await search(query, `{ span.${key} = "${value}" }`);
      assert.deepEqual(found.traces.map((t) => t.traceID.padStart(32, '0')), [traceId], key);
      const values = (await (await fetch(`${query}/api/v2/search/tag/span.${key}/values`)).json()) as { tagValues: Array<{ value: string }> };
      assert.deepEqual(values.tagValues.map((v) => v.value), [value], key);
    }
    // A key nobody set is absent, not an inherited member.
    assert.equal((await search(query, '{ span.hasOwnProperty != nil }')).traces.length, 0);
    const tags = (await (await fetch(`${query}/api/v2/search/tags?scope=span`)).json()) as { scopes: Array<{ tags: string[] }> };
    const names = tags.scopes.flatMap((s) => s.tags);
    for (const key of ['__proto__', 'constructor', 'toString']) assert.ok(names.includes(key), key);
  });

  it('7. answers a corrupt gzip-flagged gRPC message with INVALID_ARGUMENT', async () => {
    const session = http2Connect(`http://${backend.addresses.otlpGrpc}`);
    try {
      const garbage = Buffer.from('this is not gzip at all');
      const frame = Buffer.alloc(5 + garbage.length);
      frame.writeUInt8(1, 0); // compressed
      frame.writeUInt32BE(garbage.length, 1);
      garbage.copy(frame, 5);
      const status = await new Promise<string | undefined>((resolve, reject) => {
        const stream = session.request({ ':method': 'POST', ':path': TRACE_EXPORT_PATH, 'content-type': 'application/grpc', te: 'trailers', 'grpc-encoding': 'gzip' });
        let code: string | undefined;
        stream.on('response', (headers) => (code ??= headers['grpc-status'] as string | undefined));
        stream.on('trailers', (trailers) => (code = trailers['grpc-status'] as string | undefined));
        stream.on('error', reject);
        stream.on('close', () => resolve(code));
        stream.resume();
        stream.end(frame);
      });
      assert.equal(status, String(grpc.status.INVALID_ARGUMENT));
    } finally {
      session.close();
    }
  });

  it('OTLP partial success: the good spans are stored, 200 names the first bad one (HTTP protobuf, JSON, gRPC)', async () => {
    const { otlpHttp, query } = backend.addresses;
    const type = otlpTypes.ExportTraceServiceRequest;
    const now = BigInt(Date.now()) * 1_000_000n;
    const span = (traceId: Buffer, spanId: Buffer) => ({ traceId, spanId, name: 'p', startTimeUnixNano: String(now), endTimeUnixNano: String(now + 1000n) });
    const body = (run: number): Buffer => {
      const good = Buffer.from(traceIdFor(23, run, 0), 'hex');
      const zeroSpan = Buffer.from(traceIdFor(23, run, 1), 'hex');
      return Buffer.from(type.encode(type.fromObject({ resourceSpans: [{ scopeSpans: [{ spans: [
        span(good, Buffer.from('0000000000000001', 'hex')),
        span(Buffer.from('abcdef', 'hex'), Buffer.from('0000000000000002', 'hex')), // a 3-byte trace id
        span(zeroSpan, Buffer.alloc(8)), // an all-zero span id: stored, as Tempo does
      ] }] }] })).finish());
    };
    const responseType = otlpTypes.ExportTraceServiceResponse;
    const check = async (run: number, answer: { partialSuccess?: { rejectedSpans?: unknown; errorMessage?: string } }, label: string): Promise<void> => {
      assert.equal(String(answer.partialSuccess?.rejectedSpans), '1', label);
      assert.match(answer.partialSuccess?.errorMessage ?? '', /spans\[1\]\.traceId: expected 16 bytes, got 3/, label);
      assert.equal(await storedSpanCount(query, traceIdFor(23, run, 0)), 1, label);
      const zero = await (await fetch(`${query}/api/traces/${traceIdFor(23, run, 1)}`)).json() as { batches: Array<{ scopeSpans: Array<{ spans: Array<{ spanId: string }> }> }> };
      assert.ok(['AAAAAAAAAAA=', '0000000000000000'].includes(zero.batches[0]!.scopeSpans[0]!.spans[0]!.spanId), label);
    };

    const proto = await fetch(`${otlpHttp}/v1/traces`, { method: 'POST', headers: { 'content-type': 'application/x-protobuf' }, body: new Uint8Array(body(0)) });
    assert.equal(proto.status, 200);
    await check(0, responseType.toObject(responseType.decode(new Uint8Array(await proto.arrayBuffer())), { longs: String }), 'protobuf');

    const json = JSON.stringify({ resourceSpans: [{ scopeSpans: [{ spans: [
      jsonSpan(traceIdFor(23, 1, 0), '0000000000000001'),
      jsonSpan('abcdef', '0000000000000002'),
      jsonSpan(traceIdFor(23, 1, 1), '0000000000000000'),
    ] }] }] });
    const viaJson = await fetch(`${otlpHttp}/v1/traces`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: json });
    assert.equal(viaJson.status, 200);
    const jsonAnswer = (await viaJson.json()) as { partialSuccess?: { rejectedSpans?: string; errorMessage?: string } };
    assert.equal(jsonAnswer.partialSuccess?.rejectedSpans, '1');
    assert.match(jsonAnswer.partialSuccess?.errorMessage ?? '', /spans\[1\]\.traceId: expected 32 hex characters, got 6/);
    assert.equal(await storedSpanCount(query, traceIdFor(23, 1, 0)), 1);
    assert.equal(await storedSpanCount(query, traceIdFor(23, 1, 1)), 1);

    const viaGrpc = await new Promise<Buffer>((resolve, reject) => {
      grpcClient.makeUnaryRequest(TRACE_EXPORT_PATH, (b: Buffer) => b, (b: Buffer) => b, body(2), (err, value) => (err ? reject(err) : resolve(value!)));
    });
    await check(2, responseType.toObject(responseType.decode(viaGrpc), { longs: String }), 'grpc');

    // Only a request that does not decode at all is a 400.
    const garbage = await fetch(`${otlpHttp}/v1/traces`, { method: 'POST', headers: { 'content-type': 'application/x-protobuf' }, body: new Uint8Array(Buffer.from('garbage garbage')) });
    assert.equal(garbage.status, 400);
    void protobufBody;
  });
});

/** A backend with extra flags, stopped and removed after the test. */
async function backendWith(t: { after(fn: () => unknown): void }, args: string[]): Promise<BackendProcess> {
  const dataDir = await mkdtemp(join(tmpdir(), 'zeroscope-attack-flags-'));
  const backend = await startBackendProcess({ dataDir, args });
  t.after(async () => {
    await backend.stop();
    await rm(dataDir, { recursive: true, force: true });
  });
  return backend;
}

describe('with flags', () => {
  it('7. the ?token= login never redirects off the origin (//evil.example/, /\\evil.example/)', async (t) => {
    const backend = await backendWith(t, ['--auth-token', TOKEN]);
    for (const path of [`//evil.example/?token=${TOKEN}`, `/\\evil.example/?token=${TOKEN}`, `///evil.example/x?token=${TOKEN}&a=1`]) {
      const res = await raw(backend.addresses.query, { path });
      assert.equal(res.status, 303, path);
      const location = String(res.headers.location);
      assert.match(location, /^\/[^/\\]/, `${path} → ${location}`);
      assert.doesNotMatch(location, /token=/);
    }
    const normal = await raw(backend.addresses.query, { path: `/search?token=${TOKEN}&q=1` });
    assert.equal(normal.headers.location, '/search?q=1');
  });

  it('4. --allowed-hosts adds Host names (and name:port pairs) the loopback backend answers', async (t) => {
    const backend = await backendWith(t, ['--allowed-hosts', 'zeroscope.test,other.test:1234']);
    const port = new URL(backend.addresses.query).port;
    for (const [host, status] of [['zeroscope.test', 200], [`zeroscope.test:${port}`, 200], ['other.test:1234', 200], ['other.test:80', 403], ['evil.example', 403]] as const) {
      assert.equal((await raw(`${backend.addresses.query}/api/search`, { headers: { host } })).status, status, host);
    }
    const zipkin = await raw(`${backend.addresses.zipkin}/api/v2/spans`, { method: 'POST', headers: { host: 'zeroscope.test', 'content-type': 'application/json' }, body: '[]' });
    assert.equal(zipkin.status, 202);
  });
});
