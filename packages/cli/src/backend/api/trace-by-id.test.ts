import assert from 'node:assert/strict';
import { request } from 'node:http';
import { after, before, describe, it } from 'node:test';
import { createQueryApi, type QueryApi } from './server.ts';
import { fakeDeps } from './testing/fakes.ts';
import { RandomMessages } from './testing/random-traces.ts';
import { tempoTypes } from './trace-codec.ts';

const TRACE = 'a1b2c3d4e5f60718293a4b5c6d7e8f90';

describe('trace by id over HTTP (bodies written from the stored bytes)', () => {
  const deps = fakeDeps();
  const stored = new RandomMessages(7, { irregularity: 0.3 }).message(tempoTypes().trace);
  let api: QueryApi;
  let base: string;

  before(async () => {
    // The store hands back these exact bytes, irregular wire and all.
    deps.traces = { getTrace: async (id) => (id === TRACE ? stored : null) };
    api = createQueryApi({ ...deps, port: 0, uiDir: '/nonexistent-zeroscope-ui', onError: () => {} });
    await api.start();
    base = `http://127.0.0.1:${api.port}`;
  });
  after(() => api.stop());

  const oracle = (version: 1 | 2): string => {
    const { trace } = tempoTypes();
    const options = { longs: String, enums: String, bytes: String, defaults: false, json: true };
    const resourceSpans = (trace.toObject(trace.decode(stored), options) as { resourceSpans?: unknown[] }).resourceSpans ?? [];
    return JSON.stringify(version === 1 ? { batches: resourceSpans } : { trace: { resourceSpans } });
  };

  it('sends v1 and v2 JSON with its length, the same text protobufjs gave', async () => {
    for (const [path, version] of [[`/api/traces/${TRACE}`, 1], [`/api/v2/traces/${TRACE}`, 2]] as const) {
      const res = await fetch(base + path);
      assert.equal(res.status, 200);
      assert.equal(res.headers.get('content-type'), 'application/json');
      assert.equal(res.headers.get('x-content-type-options'), 'nosniff');
      const body = Buffer.from(await res.arrayBuffer());
      assert.equal(Number(res.headers.get('content-length')), body.length);
      assert.equal(body.toString('utf8'), oracle(version));
    }
  });

  it('answers HEAD with the headers only', async () => {
    const { status, length, bytes } = await new Promise<{ status: number; length: number; bytes: number }>((resolve, reject) => {
      const req = request(`${base}/api/v2/traces/${TRACE}`, { method: 'HEAD' }, (res) => {
        let bytes = 0;
        res.on('data', (chunk: Buffer) => (bytes += chunk.length));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, length: Number(res.headers['content-length']), bytes }));
      });
      req.on('error', reject);
      req.end();
    });
    assert.equal(status, 200);
    assert.equal(length, Buffer.byteLength(oracle(2)));
    assert.equal(bytes, 0);
  });

  it('sends the stored bytes as tempopb.Trace, and wrapped as TraceByIDResponse', async () => {
    const v1 = await fetch(`${base}/api/traces/${TRACE}`, { headers: { accept: 'application/protobuf' } });
    assert.equal(v1.headers.get('content-type'), 'application/protobuf');
    assert.deepEqual(new Uint8Array(await v1.arrayBuffer()), stored);
    const v2 = await fetch(`${base}/api/v2/traces/${TRACE}`, { headers: { accept: 'application/protobuf' } });
    const { byIdResponse, trace } = tempoTypes();
    const decoded = byIdResponse.decode(new Uint8Array(await v2.arrayBuffer())) as unknown as { trace: unknown };
    assert.deepEqual(trace.toObject(decoded.trace as never), trace.toObject(trace.decode(stored)));
  });
});
