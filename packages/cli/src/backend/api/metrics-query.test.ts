/**
 * The metrics endpoints against the real lmdb store and the real TraceQL engines, over HTTP:
 * Tempo's parameters, response shapes and 400s. Values are the hand counts of
 * query/testdata/metrics-traces.ts (see query/metrics/evaluate.test.ts for every function).
 */
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { traceqlMetricsEngine, traceqlSearchEngine } from '../query/index.ts';
import { B, metricsTraces, SEC } from '../query/testdata/metrics-traces.ts';
import { openStore } from '../store/index.ts';
import { roundTrip } from '../store/testing/fixtures.ts';
import type { TraceStore } from '../store/index.ts';
import { parseTempoTimestamp } from './metrics-query.ts';
import { createQueryApi, type QueryApi } from './server.ts';

function otlpRequest(): object {
  return {
    resourceSpans: metricsTraces().flatMap((t) =>
      t.spans.map((s) => ({
        resource: { attributes: [{ key: 'service.name', value: { stringValue: s.serviceName } }] },
        scopeSpans: [
          {
            scope: { name: 'lib', version: '1', attributes: [{ key: 'team', value: { stringValue: `team-${s.serviceName}` } }] },
            spans: [
              {
                traceId: Buffer.from(s.traceId, 'hex'),
                spanId: Buffer.from(s.spanId, 'hex'),
                name: s.name,
                kind: s.kind,
                startTimeUnixNano: s.startTimeUnixNano.toString(),
                endTimeUnixNano: s.endTimeUnixNano.toString(),
                attributes: Object.entries(s.attributes).map(([key, v]) => ({ key, value: { intValue: v } })),
                status: { code: s.statusCode },
              },
            ],
          },
        ],
      })),
    ),
  };
}

describe('GET /api/metrics/query_range and /api/metrics/query', () => {
  let dir: string;
  let store: TraceStore;
  let api: QueryApi;
  let base: string;

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'zeroscope-metrics-api-'));
    store = await openStore({ dataDir: dir, retention: { sweepIntervalMs: 0, maxAgeMs: 100 * 365 * 86_400_000 } });
    await store.push(roundTrip(otlpRequest()));
    api = createQueryApi({
      traces: store,
      fetcher: store,
      catalog: store,
      engine: traceqlSearchEngine,
      metricsEngine: traceqlMetricsEngine,
      port: 0,
      uiDir: '/nonexistent-zeroscope-ui',
      onError: () => {},
    });
    await api.start();
    base = `http://127.0.0.1:${api.port}`;
  });
  after(async () => {
    await api.stop();
    await store.close();
    await rm(dir, { recursive: true, force: true });
  });

  const get = async (path: string, params: Record<string, string>) => {
    const res = await fetch(`${base}${path}?${new URLSearchParams(params)}`);
    return { status: res.status, type: res.headers.get('content-type') ?? '', text: await res.text() };
  };
  const range = { start: String(B), end: String(B + 60n), step: '15' };

  it("answers Tempo's QueryRangeResponse JSON with the hand-counted values", async () => {
    const res = await get('/api/metrics/query_range', { q: '{ } | count_over_time() by (resource.service.name)', ...range });
    assert.equal(res.status, 200, res.text);
    assert.match(res.type, /^application\/json/);
    const body = JSON.parse(res.text);
    const ms = (offset: number) => String((Number(B) + offset) * 1000);
    assert.deepEqual(body.series[0], {
      labels: [{ key: 'resource.service.name', value: { stringValue: 'a' } }],
      samples: [
        { timestampMs: ms(0), value: 0 },
        { timestampMs: ms(15), value: 3 },
        { timestampMs: ms(30), value: 1 },
        { timestampMs: ms(45), value: 0 },
        { timestampMs: ms(60), value: 0 },
      ],
      exemplars: body.series[0].exemplars,
    });
    assert.ok(body.series[0].exemplars.every((e: { labels: Array<{ key: string }> }) => e.labels.some((l) => l.key === 'trace:id')));
    assert.deepEqual(body.series[1].labels, [{ key: 'resource.service.name', value: { stringValue: 'b' } }]);
    assert.deepEqual(body.metrics, { inspectedTraces: 6, inspectedSpans: '6', completedJobs: 1, totalJobs: 1 });
  });

  it('takes query= for q=, steps as durations, nanosecond and RFC 3339 times, exemplars=', async () => {
    const q = '{ } | rate()';
    const a = await get('/api/metrics/query_range', { q, ...range, exemplars: '1' });
    const b = await get('/api/metrics/query_range', {
      query: q,
      start: String(B * SEC),
      end: new Date(Number(B + 60n) * 1000).toISOString(),
      step: '15s',
      exemplars: '1',
    });
    assert.equal(a.status, 200, a.text);
    assert.equal(b.text, a.text);
    assert.equal(JSON.parse(a.text).series[0].exemplars.length, 1, 'exemplars=1 caps the answer');
  });

  it('defaults to the hour before now (nothing stored there here) and the default step', async () => {
    const res = await get('/api/metrics/query_range', { q: '{ } | rate()', since: '30m' });
    assert.equal(res.status, 200, res.text);
    assert.deepEqual(JSON.parse(res.text).series, []);
  });

  it('answers an instant query with one value per series', async () => {
    const res = await get('/api/metrics/query', { q: '{ } | count_over_time() by (resource.service.name)', start: String(B), end: String(B + 60n) });
    assert.equal(res.status, 200, res.text);
    assert.deepEqual(JSON.parse(res.text).series, [
      { labels: [{ key: 'resource.service.name', value: { stringValue: 'a' } }], value: 4 },
      { labels: [{ key: 'resource.service.name', value: { stringValue: 'b' } }], value: 1 },
    ]);
  });

  it('answers bad queries and parameters with 400 and the reason, and stays up', async () => {
    const cases: Array<[Record<string, string>, RegExp]> = [
      [{ q: '{ } | rate( by', ...range }, /^invalid TraceQL query: parse error at line 1, col 13: syntax error/],
      [{ q: '{ status = error }', ...range }, /^invalid TraceQL query: not a metrics query/],
      [{ q: '{ } | rate() | topk(0)', ...range }, /topk limit must be greater than 0/],
      [{ q: '{ } | rate()', ...range, step: '-5s' }, /step must be positive/],
      [{ q: '{ } | rate()', ...range, step: 'soon' }, /invalid step/],
      [{ q: '{ } | rate()', start: String(B + 60n), end: String(B) }, /end must be after start/],
      [{ q: '{ } | rate()', start: 'yesterday', end: String(B) }, /could not parse 'start'/],
      [{ q: '{ } | rate()', since: 'ages' }, /could not parse 'since'/],
    ];
    for (const [params, reason] of cases) {
      const res = await get('/api/metrics/query_range', params);
      assert.equal(res.status, 400, JSON.stringify(params));
      assert.match(res.text, reason);
    }
    assert.equal((await get('/api/metrics/query_range', { q: '{ } | rate()', ...range })).status, 200);
  });

  it('search reads instrumentation scope attributes, = nil and leading-dot floats through the store', async () => {
    const search = async (q: string) => {
      const res = await get('/api/search', { q, start: String(B - 60n), end: String(B + 120n), limit: '50' });
      assert.equal(res.status, 200, res.text);
      return JSON.parse(res.text).traces.length as number;
    };
    assert.equal(await search('{ instrumentation.team = "team-a" }'), 4);
    assert.equal(await search('{ span.missing = nil && resource.service.name = "b" }'), 3);
    assert.equal(await search('{ duration > 1000000000 * .5 }'), 2);
  });
});

describe('parseTempoTimestamp', () => {
  it('reads seconds, nanoseconds, fractional seconds and RFC 3339 as Tempo does', () => {
    assert.equal(parseTempoTimestamp('start', '1700000000'), 1_700_000_000n * SEC);
    assert.equal(parseTempoTimestamp('start', '1700000000123456789'), 1_700_000_000_123_456_789n);
    assert.equal(parseTempoTimestamp('start', '1700000000.5'), 1_700_000_000_500_000_000n);
    assert.equal(parseTempoTimestamp('start', '2023-11-14T22:13:20.000000001Z'), 1_700_000_000_000_000_001n);
    assert.throws(() => parseTempoTimestamp('end', 'now'), /could not parse 'end'/);
  });
});
