import assert from 'node:assert/strict';
import { status as GrpcCode } from '@grpc/grpc-js';
import type * as grpc from '@grpc/grpc-js';
import { after, before, describe, it } from 'node:test';
import { BadParamError } from '../errors.ts';
import { createQueryApi, type QueryApi } from '../server.ts';
import { fakeDeps, fakeSpan } from '../testing/fakes.ts';
import { collectStream, streamingClient } from '../testing/streaming-client.ts';
import type { MetricsInstantRequest, MetricsQueryEngine, MetricsRangeRequest } from '../types.ts';

const TOKEN = 'grpc-token-grpc-token';
const S = 1_000_000_000n;
const START = 1_800_000_000n * S;

/** A stand-in metrics engine that records the requests it is handed and answers what the test set. */
function recordingMetrics() {
  const calls: Array<{ kind: 'range'; request: MetricsRangeRequest } | { kind: 'instant'; request: MetricsInstantRequest }> = [];
  let answer: () => Promise<unknown> = async () => ({});
  const engine: MetricsQueryEngine = {
    async queryRange(_fetcher, request) {
      calls.push({ kind: 'range', request });
      return answer();
    },
    async queryInstant(_fetcher, request) {
      calls.push({ kind: 'instant', request });
      return answer();
    },
    isQueryError: () => false,
  };
  return { engine, calls, answerWith: (fn: () => Promise<unknown>) => (answer = fn) };
}

async function startApi(options: { authToken?: string; metricsEngine?: MetricsQueryEngine; onError?: (err: unknown) => void }) {
  const deps = fakeDeps();
  deps.store.add([fakeSpan({ traceId: 'a'.repeat(32), spanId: '1'.repeat(16), name: 'checkout' })]);
  const api = createQueryApi({ ...deps, port: 0, ...options });
  await api.start();
  return api;
}

describe('StreamingQuerier on the query port', () => {
  const errors: unknown[] = [];
  const metrics = recordingMetrics();
  let api: QueryApi;
  let bare: QueryApi;
  let client: grpc.Client;
  let bareClient: grpc.Client;

  before(async () => {
    api = await startApi({ authToken: TOKEN, metricsEngine: metrics.engine, onError: (err) => errors.push(err) });
    bare = await startApi({});
    client = streamingClient(`127.0.0.1:${api.port}`);
    bareClient = streamingClient(`127.0.0.1:${bare.port}`);
  });
  after(async () => {
    client.close();
    bareClient.close();
    await Promise.all([api.stop(), bare.stop()]);
  });

  const auth = { authorization: `Bearer ${TOKEN}` };

  it('refuses a call without the token, and takes it as a bearer or x-zeroscope-token', async () => {
    const none = await collectStream(client, 'Search', { Query: '{}' });
    assert.equal(none.error?.code, GrpcCode.UNAUTHENTICATED);
    assert.match(none.error!.details, /missing or invalid token/);
    const wrong = await collectStream(client, 'Search', { Query: '{}' }, { authorization: 'Bearer nope' });
    assert.equal(wrong.error?.code, GrpcCode.UNAUTHENTICATED);
    for (const headers of [auth, { 'x-zeroscope-token': TOKEN }]) {
      const ok = await collectStream<{ traces: Array<{ traceID: string }> }>(client, 'Search', { Query: '{}' }, headers);
      assert.equal(ok.error, undefined);
      assert.deepEqual(ok.messages.at(-1)!.traces.map((t) => t.traceID), ['a'.repeat(32)]);
    }
    // HTTP on the same port keeps its own rule.
    assert.equal((await fetch(`http://127.0.0.1:${api.port}/api/echo`)).status, 401);
  });

  it('hands MetricsQueryRange to the metrics engine with the HTTP route\'s parameters and streams its answer', async () => {
    metrics.answerWith(async () => ({
      series: [
        {
          labels: [{ key: 'resource.service.name', value: { stringValue: 'checkout' } }],
          samples: [
            { timestampMs: '1800000000000', value: 2 },
            { timestampMs: '1800000030000', value: 0.5 },
          ],
          exemplars: [{ labels: [{ key: 'trace:id', value: { stringValue: 'abc' } }], value: 0.25, timestampMs: '1800000001000' }],
        },
      ],
      metrics: { inspectedSpans: '12', completedJobs: 1, totalJobs: 1 },
    }));
    const request = { query: '{} | rate() by (resource.service.name)', start: String(START), end: String(START + 60n * S), step: String(30n * S), exemplars: 5 };
    const got = await collectStream<{ series: Array<Record<string, unknown>>; metrics: Record<string, unknown> }>(client, 'MetricsQueryRange', request, auth);
    assert.equal(got.error, undefined);
    assert.deepEqual(metrics.calls.at(-1), {
      kind: 'range',
      request: { query: request.query, start: START, end: START + 60n * S, step: 30n * S, exemplars: 5 },
    });
    assert.equal(got.messages.length, 1);
    const [series] = got.messages[0]!.series as Array<{ labels: unknown; samples: unknown; exemplars: Array<Record<string, unknown>> }>;
    assert.deepEqual(series!.labels, [{ key: 'resource.service.name', value: { stringValue: 'checkout', value: 'stringValue' } }]);
    assert.deepEqual(series!.samples, [
      { timestampMs: '1800000000000', value: 2 },
      { timestampMs: '1800000030000', value: 0.5 },
    ]);
    assert.equal(series!.exemplars[0]!.timestampMs, '1800000001000');
    assert.equal(got.messages[0]!.metrics.inspectedSpans, '12');
  });

  it('hands MetricsQueryInstant over the same way', async () => {
    metrics.answerWith(async () => ({ series: [{ labels: [], value: 7 }] }));
    const got = await collectStream<{ series: Array<{ value: number }> }>(
      client,
      'MetricsQueryInstant',
      { query: '{} | count_over_time()', start: String(START), end: String(START + 60n * S) },
      auth,
    );
    assert.deepEqual(metrics.calls.at(-1), { kind: 'instant', request: { query: '{} | count_over_time()', start: START, end: START + 60n * S } });
    assert.equal(got.messages[0]!.series[0]!.value, 7);
  });

  it('answers a refused metrics query INVALID_ARGUMENT with its reason, and a crash INTERNAL without internals', async () => {
    metrics.answerWith(async () => {
      throw new BadParamError('invalid step: must be positive');
    });
    const bad = await collectStream(client, 'MetricsQueryRange', { query: '{} | rate()' }, auth);
    assert.deepEqual(bad.error, { code: GrpcCode.INVALID_ARGUMENT, details: 'invalid step: must be positive' });
    metrics.answerWith(async () => {
      throw new Error('secret internals');
    });
    const crash = await collectStream(client, 'MetricsQueryRange', { query: '{} | rate()' }, auth);
    assert.deepEqual(crash.error, { code: GrpcCode.INTERNAL, details: 'internal error' });
    assert.match(String(errors.at(-1)), /secret internals/);
  });

  it('answers INTERNAL, and reports it, when the metrics engine returns something that is not a QueryRangeResponse', async () => {
    metrics.answerWith(async () => ({ series: [{ labels: 'not a list' }] }));
    const before = errors.length;
    const got = await collectStream(client, 'MetricsQueryRange', { query: '{} | rate()' }, auth);
    assert.deepEqual(got.error, { code: GrpcCode.INTERNAL, details: 'internal error' });
    assert.equal(errors.length, before + 1);
    assert.match(String(errors.at(-1)), /labels/);
  });

  it('splits a metrics answer over 1 MiB into packets, the partial status on the last one', async () => {
    const series = Array.from({ length: 2000 }, (_, i) => ({
      labels: [{ key: 'span.route', value: { stringValue: `/api/route/${i}/${'x'.repeat(200)}` } }],
      samples: Array.from({ length: 20 }, (_, j) => ({ timestampMs: String(1_800_000_000_000 + j * 60_000), value: j })),
    }));
    metrics.answerWith(async () => ({ series, metrics: { completedJobs: 1, totalJobs: 1 }, status: 'PARTIAL', message: 'series limit reached' }));
    const got = await collectStream<{ series: unknown[]; status: string; message: string }>(client, 'MetricsQueryRange', { query: '{} | rate() by (span.route)' }, auth);
    assert.equal(got.error, undefined);
    assert.ok(got.messages.length > 1, `${got.messages.length} messages`);
    assert.equal(got.messages.flatMap((m) => m.series).length, 2000);
    assert.deepEqual(got.messages.map((m) => m.status), [...got.messages.slice(1).map(() => 'COMPLETE'), 'PARTIAL']);
    assert.equal(got.messages.at(-1)!.message, 'series limit reached');
  });

  it('answers the metrics calls UNIMPLEMENTED when no metrics engine is wired in', async () => {
    for (const method of ['MetricsQueryRange', 'MetricsQueryInstant'] as const) {
      const got = await collectStream(bareClient, method, { query: '{} | rate()' });
      assert.equal(got.error?.code, GrpcCode.UNIMPLEMENTED);
      assert.match(got.error!.details, /TraceQL metrics queries are not served/);
    }
  });

  it('answers a bad search request INVALID_ARGUMENT with the HTTP route\'s words', async () => {
    const got = await collectStream(bareClient, 'Search', { Query: '{}', start: 200, end: 100 });
    assert.equal(got.error?.code, GrpcCode.INVALID_ARGUMENT);
    const http = await fetch(`http://127.0.0.1:${bare.port}/api/search?q={}&start=200&end=100`);
    assert.equal(http.status, 400);
    assert.match(await http.text(), new RegExp(got.error!.details.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')));
  });

  it('stops with open streams and connections', async () => {
    const extra = await startApi({});
    const c = streamingClient(`127.0.0.1:${extra.port}`);
    assert.equal((await collectStream(c, 'SearchTagsV2', {})).error, undefined);
    await extra.stop();
    const after = await collectStream(c, 'SearchTagsV2', {});
    assert.equal(after.error?.code, GrpcCode.UNAVAILABLE);
    c.close();
  });
});
