/**
 * Grafana with its defaults, against the real backend: the calls Grafana's Tempo data source and
 * the Traces Drilldown app make, replayed over both transports the query port serves. Streaming
 * calls go through a real gRPC client built from the tempopb protos (api/proto/tempo.proto), the
 * way Grafana's server does it (pkg/tsdb/tempo: grpc.go dials the data source URL, search_stream.go
 * and metrics_stream.go read the stream); each streamed answer must equal the HTTP answer for the
 * same request, and refusals must carry the same words.
 *
 * Where the calls come from (read in their sources):
 * - Grafana's Tempo data source: `datasource.ts` (TraceQL editor and query builder queries; the
 *   query builder writes `{a="x" && b=y}`), `streaming.ts` (`search/` and `metrics/` Live streams
 *   with `SpansPerSpanSet`, `limit`, `step`), `pkg/tsdb/tempo/search_stream.go` (Start/End in unix
 *   seconds from the time range, a `User-Agent` metadata entry, traces kept by first arrival,
 *   `metrics` of the last message shown as progress), `metrics_stream.go` (start/end in unix
 *   nanoseconds, instant queries through MetricsQueryInstant), `grpc.go` (custom HTTP headers of
 *   the data source sent as metadata).
 * - Traces Drilldown (grafana/traces-drilldown): `generateMetricsQuery.ts` (rate, errors and
 *   duration panels, `by(...)`, `with(sample=true)`), `queries/exceptions.ts`, the span list
 *   (`| select(status)`, limit 100, spss 10), the structure tab (`&>>` with the nested-set
 *   intrinsics, limit 200, spss 20), `primary-signals.ts` (`nestedSetParent<0`, `kind=server`,
 *   `span.db.name!=""`, `true`) and `filters-renderer.ts` (filters joined by `&&`, none = `true`).
 */
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { status as GrpcCode } from '@grpc/grpc-js';
import type * as grpc from '@grpc/grpc-js';
import { OTLPTraceExporter as ProtoExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import {
  asStreamedMessage,
  collectStream,
  streamingClient,
  type StreamingMethod,
  type StreamResult,
} from '../../packages/cli/src/backend/api/testing/streaming-client.ts';
import { startBackend } from '../../packages/cli/src/backend/app.ts';
import { resolveBackendConfig } from '../../packages/cli/src/backend/config.ts';
import { emitRichTrace, searchId, startTestBackend, waitForTrace, type TestBackend } from './backend-harness.ts';

/** What Grafana's gRPC client sends beside the request (search_stream.go). */
const GRAFANA_METADATA = { 'user-agent': 'Grafana/12.3.0 grpc-go/1.72.0' };

interface StreamedTrace {
  traceID: string;
  rootServiceName: string;
  spanSets: Array<{ spans: Array<{ spanID: string; attributes: Array<{ key: string }> }>; matched: number }>;
}
interface StreamedSearch {
  traces: StreamedTrace[];
  metrics: { completedJobs: number; totalJobs: number; inspectedTraces: number };
}

/**
 * What Grafana's `processStream` ends up showing: the traces of every message, each kept at its
 * first arrival, and the last message's metrics. It also checks what Grafana's frontend relies on:
 * every message carries metrics (streaming.ts reads `metrics.totalJobs` from each one).
 */
function asGrafanaShowsIt(result: StreamResult<StreamedSearch>): StreamedSearch {
  const seen = new Set<string>();
  const traces: StreamedTrace[] = [];
  for (const message of result.messages) {
    assert.ok(message.metrics, 'every streamed search message carries metrics');
    assert.ok(message.metrics.completedJobs <= message.metrics.totalJobs);
    for (const t of message.traces) {
      if (seen.has(t.traceID)) continue;
      seen.add(t.traceID);
      traces.push(t);
    }
  }
  const last = result.messages.at(-1)!;
  assert.equal(last.metrics.completedJobs > 0, true, 'the last message reports finished jobs');
  return { traces, metrics: last.metrics };
}

describe('Grafana with its defaults: the streaming API on the query port', () => {
  let tb: TestBackend;
  let client: grpc.Client;
  let checkoutTraceId = '';
  let billingTraceId = '';
  const now = () => Math.floor(Date.now() / 1000);
  let range = { start: 0, end: 0 };

  before(async () => {
    tb = await startTestBackend();
    const url = `${tb.backend.addresses.otlpHttp}/v1/traces`;
    const checkout = await emitRichTrace(new ProtoExporter({ url }), 'checkout');
    const billing = await emitRichTrace(new ProtoExporter({ url }), 'billing');
    checkoutTraceId = checkout[0]!.spanContext().traceId;
    billingTraceId = billing[0]!.spanContext().traceId;
    await waitForTrace(tb.api, checkoutTraceId, 5);
    await waitForTrace(tb.api, billingTraceId, 5);
    // Grafana dials the host:port of the data source URL, the one HTTP uses.
    client = streamingClient(tb.api.replace(/^http:\/\//, ''));
    range = { start: now() - 3600, end: now() + 60 };
  });

  after(async () => {
    client?.close();
    await tb?.stop();
  });

  /**
   * Runs one search over gRPC (as Grafana's streaming search sends it) and over HTTP (as its
   * non-streaming search sends it) and checks they agree. Returns the streamed result.
   */
  async function searchBothWays(query: string, limit: number, spss: number): Promise<StreamedSearch | { refused: string }> {
    const params = new URLSearchParams({ q: query, limit: String(limit), spss: String(spss), start: String(range.start), end: String(range.end) });
    const http = await fetch(`${tb.api}/api/search?${params}`);
    const body = await http.text();
    const streamed = await collectStream<StreamedSearch>(
      client,
      'Search',
      { Query: query, Limit: limit, SpansPerSpanSet: spss, start: range.start, end: range.end },
      GRAFANA_METADATA,
    );
    if (http.status === 400) {
      assert.deepEqual(streamed.error, { code: GrpcCode.INVALID_ARGUMENT, details: body }, `${query}: refused alike`);
      assert.equal(streamed.messages.length, 0);
      return { refused: body };
    }
    assert.equal(http.status, 200, `${query}: ${body}`);
    assert.equal(streamed.error, undefined, `${query}: ${JSON.stringify(streamed.error)}`);
    const shown = asGrafanaShowsIt(streamed);
    const expected = asStreamedMessage('Search', JSON.parse(body)) as unknown as StreamedSearch;
    assert.deepEqual(shown.traces, expected.traces, `${query}: the same traces, in the same order, field for field`);
    return shown;
  }

  const ids = (s: StreamedSearch | { refused: string }) => ('traces' in s ? s.traces.map((t) => t.traceID) : []);

  describe('Grafana Tempo data source', () => {
    test('Save & test with streaming on: a `{}` search streams and ends', async () => {
      const got = await searchBothWays('{}', 20, 3);
      assert.deepEqual(new Set(ids(got)), new Set([searchId(checkoutTraceId), searchId(billingTraceId)]));
    });

    test('TraceQL editor queries', async () => {
      const byService = await searchBothWays('{ resource.service.name = "checkout" }', 20, 3);
      assert.deepEqual(ids(byService), [searchId(checkoutTraceId)]);
      const errors = await searchBothWays('{ status = error }', 20, 3);
      assert.equal(ids(errors).length, 2);
      const structural = await searchBothWays('{ kind = server } >> { name = "compute" }', 20, 3);
      assert.equal(ids(structural).length, 2);
      const selected = await searchBothWays('{ resource.service.name = "billing" } | select(span.str)', 20, 3);
      assert.ok('traces' in selected);
      const root = selected.traces[0]!.spanSets[0]!.spans[0]!;
      assert.ok(root.attributes.some((a) => a.key === 'str'), 'select() attributes travel in the streamed spans');
    });

    test('Search tab (query builder) queries, spss and limit', async () => {
      const built = await searchBothWays('{resource.service.name="checkout" && name="GET /api/order/:id"}', 20, 3);
      assert.deepEqual(ids(built), [searchId(checkoutTraceId)]);
      const limited = await searchBothWays('{}', 1, 1);
      assert.equal(ids(limited).length, 1);
      const wide = await searchBothWays('{ resource.service.name = "checkout" }', 20, 100);
      assert.ok('traces' in wide);
      assert.equal(wide.traces[0]!.spanSets[0]!.spans.length, 5, 'spss 100 shows every matched span');
    });

    test('a query the backend refuses is refused over gRPC with the same words', async () => {
      const refused = await searchBothWays('{ resource.service.name = }', 20, 3);
      assert.ok('refused' in refused && /parse error/.test(refused.refused));
    });

    test('legacy tag search (the Tags map) is the HTTP tags= search', async () => {
      const streamed = await collectStream<StreamedSearch>(
        client,
        'Search',
        { Tags: { 'service.name': 'billing' }, start: range.start, end: range.end, Limit: 20 },
        GRAFANA_METADATA,
      );
      const http = await fetch(`${tb.api}/api/search?${new URLSearchParams({ tags: 'service.name="billing"', start: String(range.start), end: String(range.end) })}`);
      const expected = asStreamedMessage('Search', await http.json()) as unknown as StreamedSearch;
      assert.deepEqual(asGrafanaShowsIt(streamed).traces, expected.traces);
      assert.deepEqual(ids(expected), [searchId(billingTraceId)]);
    });

    test('tag names and values over gRPC equal the HTTP autocomplete answers', async () => {
      const cases: Array<[StreamingMethod, object, string, string]> = [
        ['SearchTagsV2', { start: range.start, end: range.end }, '/api/v2/search/tags', `start=${range.start}&end=${range.end}`],
        ['SearchTagsV2', { scope: 'resource' }, '/api/v2/search/tags', 'scope=resource'],
        ['SearchTags', {}, '/api/search/tags', ''],
        ['SearchTagValuesV2', { tagName: 'resource.service.name', query: '{}' }, '/api/v2/search/tag/resource.service.name/values', 'q={}'],
        ['SearchTagValuesV2', { tagName: 'name', query: '{ resource.service.name = "billing" }' }, '/api/v2/search/tag/name/values', `q=${encodeURIComponent('{ resource.service.name = "billing" }')}`],
        ['SearchTagValuesV2', { tagName: 'status' }, '/api/v2/search/tag/status/values', ''],
        ['SearchTagValues', { tagName: 'service.name', maxTagValues: 1 }, '/api/search/tag/service.name/values', 'limit=1'],
      ];
      for (const [method, request, path, query] of cases) {
        const streamed = await collectStream(client, method, request, GRAFANA_METADATA);
        assert.equal(streamed.error, undefined, `${method} ${JSON.stringify(request)}`);
        assert.equal(streamed.messages.length, 1);
        const http = await fetch(`${tb.api}${path}?${query}`);
        assert.equal(http.status, 200);
        // The HTTP answer has no job metrics; the streamed one reports its single job done.
        const { metrics: _none, ...expected } = asStreamedMessage(method, await http.json());
        const { metrics, ...answer } = streamed.messages[0]!;
        assert.deepEqual(answer, expected, `${method} ${JSON.stringify(request)}`);
        assert.equal((metrics as { completedJobs: number }).completedJobs, 1);
      }
      const values = await collectStream<{ tagValues: Array<{ value: string }> }>(client, 'SearchTagValuesV2', { tagName: 'resource.service.name' });
      assert.deepEqual(values.messages[0]!.tagValues.map((v) => v.value).sort(), ['billing', 'checkout']);
    });

    test('HTTP keeps working on the port while a gRPC connection is open', async () => {
      const echo = await fetch(`${tb.api}/api/echo`);
      assert.equal(await echo.text(), 'echo');
      const info = (await (await fetch(`${tb.api}/api/status/buildinfo`)).json()) as { version: string };
      const [major, minor] = info.version.split('.').map(Number);
      assert.ok(major! > 2 || minor! >= 7, 'a version at which Grafana streams search and metrics');
    });
  });

  describe('Traces Drilldown', () => {
    // `${primarySignal} && ${filters}` as the app renders them.
    const signals = ['true', 'kind=server', 'nestedSetParent<0', 'span.db.name!=""'];
    const filters = ['true', 'resource.service.name="checkout"'];

    test('span list and trace list panels: `{signal && filters} | select(status)`, limit 100, spss 10', async () => {
      for (const signal of signals) {
        for (const filter of filters) await searchBothWays(`{${signal} && ${filter}} | select(status)`, 100, 10);
      }
      const servers = await searchBothWays('{kind=server && resource.service.name="checkout"} | select(status)', 100, 10);
      assert.deepEqual(ids(servers), [searchId(checkoutTraceId)]);
    });

    test('exceptions tab: errors with the exception attributes, most recent first', async () => {
      const got = await searchBothWays(
        '{kind=server && true && status = error} | select(resource.service.name, event.exception.message,event.exception.stacktrace,event.exception.type) with(most_recent=true)',
        400,
        10,
      );
      assert.equal(ids(got).length, 2);
    });

    test('structure tab: `&>>` trees with the nested-set intrinsics, limit 200, spss 20', async () => {
      for (const [metricQuery, selection] of [['kind = server', ''], ['status = error', ' && status = error']] as const) {
        const roots = `kind=server && true${selection}`;
        await searchBothWays(
          `({${roots}} &>> { ${metricQuery} }) || ({${roots}}) | select(status, resource.service.name, name, nestedSetParent, nestedSetLeft, nestedSetRight)`,
          200,
          20,
        );
      }
    });

    test('metrics panels over MetricsQueryRange/MetricsQueryInstant answer as /api/metrics/query_range and /api/metrics/query do', async () => {
      const startNs = BigInt(range.start) * 1_000_000_000n;
      const endNs = BigInt(range.end) * 1_000_000_000n;
      const stepNs = 60n * 1_000_000_000n;
      const queries = [
        '{kind=server && true} | rate() by(resource.service.name)',
        '{kind=server && true && status=error} | rate() ',
        '{kind=server && true && resource.service.name != nil} | quantile_over_time(duration, 0.9) by(resource.service.name)',
        '{kind=server && true} | histogram_over_time(duration) with(sample=true)',
        '{kind=server && true} | compare({duration >= 0ms && duration <= 2s}, 10, ' + `${startNs}, ${endNs})`,
      ];
      for (const query of queries) {
        const params = new URLSearchParams({ start: String(startNs), end: String(endNs), step: '60s', q: query, exemplars: '10' });
        const http = await fetch(`${tb.api}/api/metrics/query_range?${params}`);
        const body = await http.text();
        const streamed = await collectStream(
          client,
          'MetricsQueryRange',
          { query, start: String(startNs), end: String(endNs), step: String(stepNs), exemplars: 10 },
          GRAFANA_METADATA,
        );
        assertMetricsAgree(http.status, body, streamed, 'MetricsQueryRange', query);
      }
      // An instant query's window ends at now when `end` is later, so the two calls would cover
      // different windows (and rates) by the time between them: end it in the past instead.
      const instantEndNs = BigInt(Date.now()) * 1_000_000n;
      const instantParams = new URLSearchParams({ start: String(startNs), end: String(instantEndNs), q: queries[0]! });
      const http = await fetch(`${tb.api}/api/metrics/query?${instantParams}`);
      const streamed = await collectStream(client, 'MetricsQueryInstant', { query: queries[0], start: String(startNs), end: String(instantEndNs) }, GRAFANA_METADATA);
      assertMetricsAgree(http.status, await http.text(), streamed, 'MetricsQueryInstant', queries[0]!);
    });
  });

  /**
   * The streamed metrics answer against the HTTP one: the same series when the backend has a
   * metrics engine; UNIMPLEMENTED over gRPC exactly when the HTTP route does not exist (404).
   */
  function assertMetricsAgree(status: number, body: string, streamed: StreamResult, method: StreamingMethod, query: string): void {
    if (status === 404) {
      assert.equal(streamed.error?.code, GrpcCode.UNIMPLEMENTED, `${query}: ${JSON.stringify(streamed.error)}`);
      assert.match(streamed.error!.details, new RegExp(`^${method}: TraceQL metrics queries are not served`));
    } else if (status === 400) {
      assert.deepEqual(streamed.error, { code: GrpcCode.INVALID_ARGUMENT, details: body }, query);
    } else {
      assert.equal(status, 200, `${query}: ${body}`);
      assert.equal(streamed.error, undefined, query);
      // Large answers arrive in packets of series; the last one carries the status.
      const joined = { ...streamed.messages.at(-1)!, series: streamed.messages.flatMap((m) => m.series as unknown[]) };
      assert.deepEqual(joined, asStreamedMessage(method, JSON.parse(body)), query);
    }
  }
});

describe('Grafana with an auth token: the custom header reaches the streaming API as metadata', () => {
  const token = 'streaming-e2e-token-0123456789';
  let stop: () => Promise<void> = async () => {};
  let client: grpc.Client;

  before(async () => {
    const dir = await mkdtemp(join(tmpdir(), 'zeroscope-streaming-auth-'));
    const config = resolveBackendConfig(
      { dataDir: dir, otlpHttpPort: '0', otlpGrpcPort: '0', zipkinPort: '0', queryPort: '0', authToken: token },
      {},
    );
    const backend = await startBackend(config, { onError: () => {} });
    client = streamingClient(backend.addresses.query.replace(/^http:\/\//, ''));
    stop = async () => {
      client.close();
      await backend.stop();
      await rm(dir, { recursive: true, force: true });
    };
  });
  after(() => stop());

  test('without the header the call is UNAUTHENTICATED; with it (as Authorization or x-zeroscope-token) it streams', async () => {
    const none = await collectStream(client, 'Search', { Query: '{}' }, GRAFANA_METADATA);
    assert.equal(none.error?.code, GrpcCode.UNAUTHENTICATED);
    // grpc-go lowercases the keys of the data source's custom headers.
    for (const header of [{ authorization: `Bearer ${token}` }, { 'x-zeroscope-token': token }] as Array<Record<string, string>>) {
      const ok = await collectStream(client, 'Search', { Query: '{}' }, { ...GRAFANA_METADATA, ...header });
      assert.equal(ok.error, undefined);
      assert.equal(ok.messages.length, 1);
    }
    const tags = await collectStream(client, 'SearchTagsV2', {}, { 'x-zeroscope-token': 'wrong-token-wrong-token' });
    assert.equal(tags.error?.code, GrpcCode.UNAUTHENTICATED);
  });
});
