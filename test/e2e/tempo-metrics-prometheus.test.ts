/**
 * Tempo's metrics-generator output, checked the way Grafana uses it: the seed services export to
 * the real backend, a real Prometheus (Debian's) scrapes its `/metrics`, and the PromQL queries
 * Grafana's Tempo data source runs for the service graph (`makePromServiceMapRequest`) and for its
 * APM table (`rateMetric`, `errorRateMetric`, `durationMetric` with `defaultTableFilter`, built as
 * its `buildExpr` builds them) return the services, edges, labels and buckets Tempo's would.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startSeedOnBackend, type SeedOnBackend } from './backend-harness.ts';
import { startPrometheus, type PromSample, type PrometheusServer } from './prometheus-harness.ts';

// Grafana's `$__range` for the queries below.
const RANGE = '5m';

// The service map: per metric, a sum by edge and a group by edge and connection type.
const SERVICE_MAP_METRICS = [
  'traces_service_graph_request_server_seconds_sum',
  'traces_service_graph_request_total',
  'traces_service_graph_request_failed_total',
  'traces_service_graph_request_server_seconds_bucket',
];
const sumByEdge = (metric: string) => `sum by (client, server) (rate(${metric}[${RANGE}]))`;
const groupByEdge = (metric: string) => `group by (client, connection_type, server) (${metric})`;

// The APM table (Grafana's graphTransform.ts constants and datasource.ts buildExpr).
const DEFAULT_TABLE_FILTER = 'span_kind="SPAN_KIND_SERVER"';
const withParams = (expr: string, params: string[]) => expr.replace('{}', `{${params.filter(Boolean).join(',')}}`).replace('$__range', RANGE);
const rateExpr = () => `topk(5, ${withParams('sum(rate(traces_spanmetrics_calls_total{}[$__range])) by (span_name)', [DEFAULT_TABLE_FILTER])})`;
const regexEscape = (value: string) => value.replace(/["\\]/g, '\\$&').replace(/[$^*{}[\]'+?.()|]/g, '\\\\$&');
const errorRateExpr = (names: string[]) =>
  `topk(5, ${withParams('sum(rate(traces_spanmetrics_calls_total{}[$__range])) by (span_name)', ['status_code="STATUS_CODE_ERROR"', `span_name=~"${names.map(regexEscape).join('|')}"`])})`;
const durationExpr = (name: string) => withParams('histogram_quantile(.9, sum(rate(traces_spanmetrics_latency_bucket{}[$__range])) by (le))', [`span_name=~"${regexEscape(name)}"`]);

const ORDER_SPAN = 'GET /api/order/:id';
const USER_SPAN = 'user.User/GetUser';

/** Orders `le` values numerically, +Inf last. */
const byBound = (a: string, b: string) => Number(a.replace('+Inf', 'Infinity')) - Number(b.replace('+Inf', 'Infinity'));
const edge = (samples: PromSample[], client: string, server: string) => samples.find((s) => s.metric.client === client && s.metric.server === server);
const byName = (samples: PromSample[], name: string) => samples.find((s) => s.metric.span_name === name);

describe('Tempo metric names, labels and buckets, through a real Prometheus and Grafana\'s queries', () => {
  let seed: SeedOnBackend;
  let prometheus: PrometheusServer;

  const send = async (path: string, expected: number) => {
    const res = await fetch(`${seed.orderUrl}${path}`);
    await res.arrayBuffer();
    assert.equal(res.status, expected, path);
  };

  before(async () => {
    // Only the wait is shortened (root spans become user → order edges once it passes); names,
    // labels and buckets are the defaults under test.
    seed = await startSeedOnBackend({ generator: { waitMs: 1000, expireIntervalMs: 200 } });
    prometheus = await startPrometheus(new URL(seed.tb.api).host);
    // Every series exists in Prometheus before the counted requests, so rate() sees them grow.
    await send('/api/order/1', 200);
    await send('/api/order/999', 404);
    const warm = await prometheus.queryUntil(
      'traces_service_graph_request_failed_total or traces_service_graph_request_total{client="user"} or traces_spanmetrics_calls_total{status_code="STATUS_CODE_ERROR",span_kind="SPAN_KIND_SERVER"}',
      (s) => s.length >= 4,
    );
    assert.ok(warm.length >= 4, `series seen before the counted requests: ${JSON.stringify(warm.map((s) => s.metric))}`);
    for (let i = 0; i < 6; i++) await send(`/api/order/${(i % 3) + 1}`, 200);
    for (let i = 0; i < 3; i++) await send('/api/order/999', 404);
  });
  after(async () => {
    await prometheus?.close();
    await seed?.stop();
  });

  test('service map: order → user and the virtual user → order edge, with Tempo\'s connection types', async () => {
    const totals = await prometheus.queryUntil(sumByEdge('traces_service_graph_request_total'), (s) => (edge(s, 'order', 'user')?.value ?? 0) > 0 && (edge(s, 'user', 'order')?.value ?? 0) > 0);
    assert.ok((edge(totals, 'order', 'user')?.value ?? 0) > 0, JSON.stringify(totals));
    assert.ok((edge(totals, 'user', 'order')?.value ?? 0) > 0, `the root span makes a user → order edge: ${JSON.stringify(totals)}`);
    assert.deepEqual(totals.map((s) => `${s.metric.client}→${s.metric.server}`).sort(), ['order→user', 'user→order']);

    const failed = await prometheus.queryUntil(sumByEdge('traces_service_graph_request_failed_total'), (s) => (edge(s, 'order', 'user')?.value ?? 0) > 0);
    assert.ok((edge(failed, 'order', 'user')?.value ?? 0) > 0, JSON.stringify(failed));
    const seconds = await prometheus.query(sumByEdge('traces_service_graph_request_server_seconds_sum'));
    assert.ok((edge(seconds, 'order', 'user')?.value ?? 0) > 0, JSON.stringify(seconds));
    const buckets = await prometheus.query(sumByEdge('traces_service_graph_request_server_seconds_bucket'));
    assert.ok(edge(buckets, 'order', 'user'), JSON.stringify(buckets));

    // Grafana reads connection_type from these to tell instrumented nodes from virtual ones.
    for (const metric of SERVICE_MAP_METRICS) {
      const groups = await prometheus.query(groupByEdge(metric));
      const types = Object.fromEntries(groups.map((g) => [`${g.metric.client}→${g.metric.server}`, g.metric.connection_type ?? '']));
      if (metric === 'traces_service_graph_request_failed_total') {
        assert.equal(types['order→user'], '', `${metric}: ${JSON.stringify(types)}`);
        continue;
      }
      assert.deepEqual(types, { 'order→user': '', 'user→order': 'virtual_node' }, metric);
    }
  });

  test('service-graph series carry exactly client, server, connection_type and Tempo\'s buckets', async () => {
    const series = await prometheus.query('traces_service_graph_request_total');
    for (const s of series) assert.deepEqual(Object.keys(s.metric).sort(), ['__name__', 'client', 'connection_type', 'instance', 'job', 'server'].filter((k) => k !== 'connection_type' || s.metric.connection_type !== undefined));
    const le = (await prometheus.query('count by (le) (traces_service_graph_request_server_seconds_bucket)')).map((s) => s.metric.le!).sort(byBound);
    assert.deepEqual(le, ['0.1', '0.2', '0.4', '0.8', '1.6', '3.2', '6.4', '12.8', '+Inf']);
    for (const metric of ['traces_service_graph_request_client_seconds_bucket']) {
      assert.ok((await prometheus.query(`count(${metric})`)).length === 1, `${metric} is scraped`);
    }
  });

  test('APM table: rate, error rate and p90 duration by span name, server spans only', async () => {
    const rates = await prometheus.queryUntil(rateExpr(), (s) => (byName(s, ORDER_SPAN)?.value ?? 0) > 0 && (byName(s, USER_SPAN)?.value ?? 0) > 0);
    assert.deepEqual(rates.map((s) => s.metric.span_name).sort(), [ORDER_SPAN, USER_SPAN]);
    for (const s of rates) assert.ok(s.value > 0, JSON.stringify(s));

    const names = rates.map((s) => s.metric.span_name!);
    const errors = await prometheus.queryUntil(errorRateExpr(names), (s) => s.length === 2 && s.every((e) => e.value > 0));
    assert.deepEqual(errors.map((s) => s.metric.span_name).sort(), [ORDER_SPAN, USER_SPAN]);
    for (const s of errors) {
      assert.ok(s.value > 0, JSON.stringify(s));
      assert.ok(s.value < (byName(rates, s.metric.span_name!)?.value ?? 0), 'errors are a part of the calls');
    }

    for (const name of names) {
      const [p90] = await prometheus.query(durationExpr(name));
      assert.ok(p90 && p90.value > 0 && p90.value <= 16.384, `${name}: p90 ${JSON.stringify(p90)}`);
    }
  });

  test('span metrics: the labels, Tempo\'s latency buckets, traces_spanmetrics_size_total; no target info by default', async () => {
    const calls = await prometheus.query('traces_spanmetrics_calls_total');
    assert.ok(calls.length > 0);
    for (const s of calls) assert.deepEqual(Object.keys(s.metric).sort(), ['__name__', 'instance', 'job', 'service', 'span_kind', 'span_name', 'status_code']);
    assert.deepEqual(
      [...new Set(calls.map((s) => `${s.metric.service} ${s.metric.span_kind} ${s.metric.span_name}`))].sort(),
      ['order SPAN_KIND_CLIENT user.User/GetUser', 'order SPAN_KIND_SERVER GET /api/order/:id', 'user SPAN_KIND_SERVER user.User/GetUser'],
    );
    assert.deepEqual([...new Set(calls.map((s) => s.metric.status_code))].sort(), ['STATUS_CODE_ERROR', 'STATUS_CODE_UNSET']);

    const le = (await prometheus.query('count by (le) (traces_spanmetrics_latency_bucket)')).map((s) => s.metric.le!).sort(byBound);
    assert.deepEqual(le, ['0.002', '0.004', '0.008', '0.016', '0.032', '0.064', '0.128', '0.256', '0.512', '1.024', '2.048', '4.096', '8.192', '16.384', '+Inf']);

    const size = await prometheus.queryUntil(`sum by (service, span_kind) (rate(traces_spanmetrics_size_total[${RANGE}]))`, (s) => s.length === 3 && s.every((x) => x.value > 0));
    assert.equal(size.length, 3, JSON.stringify(size));
    const bytesPerCall = await prometheus.query('sum(traces_spanmetrics_size_total) / sum(traces_spanmetrics_calls_total)');
    assert.ok(bytesPerCall[0] && bytesPerCall[0].value > 50 && bytesPerCall[0].value < 5000, `bytes per span: ${JSON.stringify(bytesPerCall)}`);

    assert.deepEqual(await prometheus.query('traces_target_info'), [], 'traces_target_info only with enableTargetInfo, as in Tempo');
  });
});
