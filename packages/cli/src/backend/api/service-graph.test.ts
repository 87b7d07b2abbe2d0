// GET /api/service-graph: the generator's graph over the asked range (default the last hour),
// latencies in seconds or null, bad ranges refused with a reason, and a 404 without a generator.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { ServiceGraphSnapshot } from '../generator/index.ts';
import { createQueryApi, type QueryApi } from './server.ts';
import { fakeDeps } from './testing/fakes.ts';

describe('GET /api/service-graph', () => {
  const asked: Array<[number, number]> = [];
  const source = {
    serviceGraph(startMs: number, endMs: number): ServiceGraphSnapshot {
      asked.push([startMs, endMs]);
      const stats = { requests: 4, failed: 1, rate: 4 / 3600, errorRate: 0.25, p50Seconds: 0.01, p95Seconds: Number.NaN };
      return { startMs, endMs, stepMs: 10_000, nodes: [{ service: 'user', ...stats }], edges: [{ client: 'order', server: 'user', connectionType: '', ...stats }] };
    },
  };
  let api: QueryApi;
  let bare: QueryApi;
  before(async () => {
    api = createQueryApi({ ...fakeDeps(), serviceGraph: source, port: 0, uiDir: '/nonexistent-zeroscope-ui', onError: () => {} });
    bare = createQueryApi({ ...fakeDeps(), port: 0, uiDir: '/nonexistent-zeroscope-ui', onError: () => {} });
    await api.start();
    await bare.start();
  });
  after(async () => {
    await api.stop();
    await bare.stop();
  });

  it('answers the range asked for, with a null latency where none was measured', async () => {
    const res = await fetch(`http://127.0.0.1:${api.port}/api/service-graph?start=1700000000&end=1700003600`);
    assert.equal(res.status, 200);
    const body = await res.json();
    assert.deepEqual(asked.at(-1), [1_700_000_000_000, 1_700_003_600_000]);
    assert.deepEqual([body.start, body.end, body.windowSeconds, body.stepSeconds], [1_700_000_000, 1_700_003_600, 3600, 10]);
    assert.deepEqual(body.edges, [{ client: 'order', server: 'user', connectionType: '', requests: 4, failed: 1, rate: 4 / 3600, errorRate: 0.25, p50Seconds: 0.01, p95Seconds: null }]);
  });

  it('defaults to the last hour', async () => {
    const before = Date.now();
    await (await fetch(`http://127.0.0.1:${api.port}/api/service-graph`)).json();
    const [start, end] = asked.at(-1)!;
    assert.equal(end - start, 3_600_000);
    assert.ok(end >= before && end <= Date.now());
  });

  it('refuses a range that ends before it starts, and is absent without a generator', async () => {
    const res = await fetch(`http://127.0.0.1:${api.port}/api/service-graph?start=20&end=10`);
    assert.equal(res.status, 400);
    assert.match(await res.text(), /start must be before end/);
    assert.equal((await fetch(`http://127.0.0.1:${bare.port}/api/service-graph`)).status, 404);
  });
});
