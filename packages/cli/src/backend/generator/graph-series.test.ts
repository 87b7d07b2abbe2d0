import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ExportTraceServiceRequest } from '../otlp/index.ts';
import { decodedRequest } from '../otlp/testing/trace-builder.ts';
import { createMetricsGenerator } from './index.ts';
import { LatencySketch } from './latency-sketch.ts';
import { ServiceGraphSeries } from './graph-series.ts';
import { RequestWindow } from './request-window.ts';
import { parseSamples, sampleValue } from './testing/prometheus-text.ts';

const SERVER = 2;
const CLIENT = 3;
let nextId = 1;
const id16 = () => (nextId++).toString(16).padStart(16, '0');

/** One export of `service` holding the given spans (durations in ms from a fixed start). */
function request(service: string, spans: { traceId: string; spanId: string; parent?: string; kind: number; ms: number; error?: boolean }[]): ExportTraceServiceRequest {
  return decodedRequest([
    { service, spans: spans.map((s) => ({ traceId: s.traceId, spanId: s.spanId, parentSpanId: s.parent, name: 'op', kind: s.kind, start: 0, end: s.ms, error: s.error })) },
  ]);
}

/** order CLIENT → user SERVER, `ms` long as user saw it. */
function call(generator: ReturnType<typeof createMetricsGenerator>, ms: number, error = false): void {
  const traceId = id16() + id16();
  const client = id16();
  generator.push(request('order', [{ traceId, spanId: client, kind: CLIENT, ms: ms + 1 }]));
  generator.push(request('user', [{ traceId, spanId: id16(), parent: client, kind: SERVER, ms, error }]));
}

describe('LatencySketch', () => {
  it('answers quantiles within 1% and merges by adding', () => {
    const a = new LatencySketch();
    const b = new LatencySketch();
    for (let i = 1; i <= 100; i++) (i % 2 ? a : b).add(i / 1000);
    a.merge(b);
    assert.equal(a.count, 100);
    for (const [q, want] of [[0.5, 0.05], [0.95, 0.095], [0.01, 0.001], [1, 0.1]] as const) {
      const got = a.quantile(q);
      assert.ok(Math.abs(got - want) / want <= 0.01, `q${q}: ${got} vs ${want}`);
    }
    assert.ok(Number.isNaN(new LatencySketch().quantile(0.5)));
    const zero = new LatencySketch();
    zero.add(0);
    assert.equal(zero.quantile(0.5), 0);
  });
});

describe('service graph over a time range', () => {
  it('counts the same requests as /metrics, split by when they were counted', async (t) => {
    const clock = { now: 1_000_000 };
    const generator = createMetricsGenerator({ now: () => clock.now, expireIntervalMs: 0 });
    t.after(() => generator.stop());
    call(generator, 10);
    call(generator, 20, true);
    clock.now += 60_000;
    for (const ms of [30, 40, 50]) call(generator, ms);

    const total = sampleValue(parseSamples(await generator.metrics()), 'traces_service_graph_request_total', { client: 'order', server: 'user', connection_type: '' });
    const all = generator.serviceGraph(0, clock.now + 1);
    assert.equal(all.edges.length, 1);
    const edge = all.edges[0];
    assert.deepEqual([edge.client, edge.server, edge.connectionType, edge.requests, edge.failed], ['order', 'user', '', 5, 1]);
    assert.equal(edge.requests, total);
    assert.equal(edge.errorRate, 0.2);
    assert.ok(Math.abs(edge.p50Seconds - 0.03) <= 0.0003, `p50 ${edge.p50Seconds}`);
    assert.ok(Math.abs(edge.p95Seconds - 0.05) <= 0.0005, `p95 ${edge.p95Seconds}`);
    assert.equal(edge.rate, 5 / ((clock.now + 1) / 1000));
    // The user node answered the five requests (its SERVER spans); order answered none.
    assert.deepEqual(all.nodes.map((n) => [n.service, n.requests, n.failed]), [['order', 0, 0], ['user', 5, 1]]);

    // Only the last minute: the three later requests.
    const recent = generator.serviceGraph(clock.now - 30_000, clock.now + 1);
    assert.deepEqual([recent.edges[0].requests, recent.edges[0].failed], [3, 0]);
    assert.equal(recent.nodes.find((n) => n.service === 'user')!.requests, 3);
    assert.ok(Math.abs(recent.edges[0].p50Seconds - 0.04) <= 0.0004);
    // Before anything happened: an empty graph.
    assert.deepEqual(generator.serviceGraph(0, 500_000), { startMs: 0, endMs: 500_000, stepMs: 10_000, nodes: [], edges: [] });
  });

  it('forgets buckets past the retention and refuses a bad window', () => {
    const clock = { now: 0 };
    const series = new ServiceGraphSeries({ stepMs: 1000, retentionMs: 5000, now: () => clock.now });
    series.record([{ service: 'a', failed: false, latencySec: 0.01 }]);
    clock.now = 10_000;
    series.record([{ service: 'a', failed: false, latencySec: 0.01 }]);
    assert.equal(series.snapshot(0, 20_000).nodes[0].requests, 1);
    assert.throws(() => new ServiceGraphSeries({ stepMs: 0 }), /stepMs must be > 0/);
  });
});

describe('RequestWindow', () => {
  it('merges buckets older than the fine window into coarse ones, counting every request once', () => {
    const clock = { now: 0 };
    const w = new RequestWindow<string>({ stepMs: 10_000, retentionMs: 3600_000, fineMs: 60_000, coarseStepMs: 60_000, now: () => clock.now });
    for (const t of [0, 10_000, 20_000, 70_000]) {
      clock.now = t;
      w.add('a', t === 10_000, 0.01);
    }
    assert.equal(w.bucketCount, 4, 'all still within the fine window');
    clock.now = 200_000;
    w.add('a', false, 0.02);
    // [0, 60 s) became one bucket, [60 s, 120 s) another; the new one is fine.
    assert.equal(w.bucketCount, 3);
    const all = w.sum(0, 210_000).cells.get('a')!;
    assert.deepEqual([all.requests, all.failed], [5, 1]);
    // A range inside a merged bucket gets the whole bucket.
    assert.equal(w.sum(10_000, 20_000).cells.get('a')!.requests, 3);
    assert.equal(w.sum(190_000, 210_000).cells.get('a')!.requests, 1);
    assert.throws(() => new RequestWindow({ stepMs: 7000, retentionMs: 3600_000, now: Date.now }), /multiple of stepMs/);
  });
});
