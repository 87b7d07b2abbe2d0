// zeroscope's extension routes on the query API: log search, a trace's logs, the RED view on a
// fixed span set, and /metrics.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { percentileOfSorted } from './red-stats.ts';
import type { LogReader, LogSearchRequest } from './logs.ts';
import { createQueryApi, type QueryApi } from './server.ts';
import { fakeDeps, fakeSpan } from './testing/fakes.ts';

const NOW_S = 1_700_000_000;
const at = (secondsAgo: number) => BigInt(NOW_S - secondsAgo) * 1_000_000_000n;
const MS = 1_000_000;

/** Ten requests to order's GET route (one failing) and five to user's RPC, each in its own trace. */
function redSpans() {
  const spans = [];
  for (let i = 1; i <= 10; i++) {
    const traceId = `00000000000000000000000000000a${i.toString(16).padStart(2, '0')}`;
    spans.push(
      fakeSpan({
        traceId,
        spanId: `000000000000a0${i.toString(16).padStart(2, '0')}`,
        name: 'GET /api/order/:id',
        kind: 2,
        statusCode: i === 7 ? 2 : 0,
        startTimeUnixNano: at(100 * i),
        endTimeUnixNano: at(100 * i) + BigInt(i * 10 * MS),
        durationNanos: i * 10 * MS,
        resource: { 'service.name': 'order' },
      }),
      fakeSpan({ traceId, spanId: `000000000000c0${i.toString(16).padStart(2, '0')}`, name: 'user.User/GetUser', kind: 3, startTimeUnixNano: at(100 * i), resource: { 'service.name': 'order' } }),
    );
    if (i <= 5) {
      spans.push(fakeSpan({ traceId, spanId: `000000000000b0${i.toString(16).padStart(2, '0')}`, name: 'user.User/GetUser', kind: 2, startTimeUnixNano: at(100 * i), durationNanos: 5 * MS, resource: { 'service.name': 'user' } }));
    }
  }
  // Outside the default one-hour window.
  spans.push(fakeSpan({ traceId: '00000000000000000000000000000bad', spanId: '0000000000000bad', name: 'GET /api/order/:id', kind: 2, startTimeUnixNano: at(7200), resource: { 'service.name': 'order' } }));
  return spans;
}

describe('extension routes', () => {
  const deps = fakeDeps();
  const searches: LogSearchRequest[] = [];
  const logs: LogReader = {
    async search(query) {
      searches.push(query);
      return { logs: [{ body: { stringValue: 'hello' } }], truncated: false };
    },
    async traceLogs(traceId) {
      return traceId.endsWith('1') ? [{ traceId, body: { stringValue: 'in trace' } }] : [];
    },
  };
  const metrics = { contentType: 'text/plain; version=0.0.4; charset=utf-8', metrics: async () => 'traces_spanmetrics_calls_total{service="a"} 3\n' };
  let api: QueryApi;
  let bare: QueryApi;
  let base: string;
  const realNow = Date.now;

  before(async () => {
    for (const span of redSpans()) deps.store.add([span]);
    Date.now = () => NOW_S * 1000;
    api = createQueryApi({ ...deps, logs, metrics, port: 0, uiDir: '/nonexistent-zeroscope-ui', onError: () => {} });
    bare = createQueryApi({ ...deps, port: 0, uiDir: '/nonexistent-zeroscope-ui', onError: () => {} });
    await api.start();
    await bare.start();
    base = `http://127.0.0.1:${api.port}`;
  });
  after(async () => {
    Date.now = realNow;
    await api.stop();
    await bare.stop();
  });

  it('parses the log search parameters and answers the reader JSON', async () => {
    const res = await fetch(`${base}/api/logs/search?service=order&level=warn,ERROR&q=%20slow%20&traceID=abc&spanID=00000000000000AA&start=10&end=20&limit=5`);
    assert.equal(res.status, 200);
    assert.deepEqual(await res.json(), { logs: [{ body: { stringValue: 'hello' } }], truncated: false });
    assert.deepEqual(searches.at(-1), {
      serviceName: 'order',
      levels: ['warn', 'error'],
      text: 'slow',
      traceId: '00000000000000000000000000000abc',
      spanId: '00000000000000aa',
      startUnixNano: 10_000_000_000n,
      endUnixNano: 20_000_000_000n,
      limit: 5,
    });
  });

  it('refuses bad log search parameters with 400 and a reason', async () => {
    for (const [qs, reason] of [
      ['level=loud', /invalid level/],
      ['spanID=xyz', /invalid spanID/],
      ['traceID=zz', /hex characters/],
      ['limit=99999', /at most/],
      ['start=20&end=10', /start must be before end/],
    ] as const) {
      const res = await fetch(`${base}/api/logs/search?${qs}`);
      assert.equal(res.status, 400, qs);
      assert.match(await res.text(), reason);
    }
  });

  it("answers a trace's logs, and none for another trace", async () => {
    assert.deepEqual(await (await fetch(`${base}/api/traces/0001/logs`)).json(), { logs: [{ traceId: '00000000000000000000000000000001', body: { stringValue: 'in trace' } }] });
    assert.deepEqual(await (await fetch(`${base}/api/traces/0002/logs`)).json(), { logs: [] });
    assert.equal((await fetch(`${base}/api/traces/xyz/logs`)).status, 400);
  });

  it('computes RED per service and route over the last hour, with example traces', async () => {
    const res = await fetch(`${base}/api/red`);
    assert.equal(res.status, 200);
    const body = (await res.json()) as { windowSeconds: number; end: number; routes: any[] };
    assert.equal(body.end, NOW_S);
    assert.equal(body.windowSeconds, 3600);
    assert.deepEqual(body.routes.map((r) => [r.service, r.route, r.requests, r.errors]), [
      ['order', 'GET /api/order/:id', 10, 1],
      ['user', 'user.User/GetUser', 5, 0],
    ], 'server spans only, the span two hours ago left out');
    const order = body.routes[0];
    assert.equal(order.rate, 10 / 3600);
    assert.equal(order.errorRate, 0.1);
    assert.equal(order.p50Nanos, 50 * MS);
    assert.equal(order.p95Nanos, 100 * MS);
    assert.equal(order.p99Nanos, 100 * MS);
    assert.deepEqual(order.examples.map((e: any) => [e.reason, e.traceId.slice(-3)]), [
      ['slowest', 'a0a'],
      ['error', 'a07'],
      ['latest', 'a01'],
    ]);
    const only = (await (await fetch(`${base}/api/red?service=user&start=${NOW_S - 250}&end=${NOW_S}`)).json()) as { routes: any[] };
    assert.deepEqual(only.routes.map((r) => [r.service, r.requests]), [['user', 2]]);
  });

  it('serves the generator metrics on /metrics, and leaves the extensions out when not wired', async () => {
    const res = await fetch(`${base}/metrics`);
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type')!, /^text\/plain; version=0\.0\.4/);
    assert.equal(await res.text(), 'traces_spanmetrics_calls_total{service="a"} 3\n');
    assert.equal((await fetch(`http://127.0.0.1:${bare.port}/api/logs/search`)).status, 404);
    assert.equal((await fetch(`http://127.0.0.1:${bare.port}/api/red`)).status, 200);
  });

  it('takes nearest-rank percentiles', () => {
    assert.equal(percentileOfSorted([], 50), 0);
    assert.equal(percentileOfSorted([1, 2, 3, 4], 50), 2);
    assert.equal(percentileOfSorted([1, 2, 3, 4], 99), 4);
  });
});
