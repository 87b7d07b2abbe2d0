import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { TraceFlags } from '@opentelemetry/api';
import { instruments, recordRequest } from './instruments.ts';
import { createMetricsRegistry } from './process-metrics.ts';
import { renderMetrics, wantsOpenMetrics } from './render.ts';
import { counterValue, exemplarsOf, histogramBuckets, parseMetrics } from './testing/index.ts';

const sampled = { traceId: '4bf92f3577b34da6a3ce929d0e0e4736', spanId: '00f067aa0ba902b7', traceFlags: TraceFlags.SAMPLED };

describe('renderMetrics', () => {
  test('text has no exemplars; OpenMetrics has them; text after OpenMetrics keeps the _total names', async () => {
    const registry = createMetricsRegistry();
    const { httpServer, rpcServer } = instruments(registry);
    const labels = { path: '/api/order/:id', method: 'GET', code: '200' };
    recordRequest(httpServer, labels, 12, sampled);
    recordRequest(httpServer, labels, 300, { ...sampled, traceFlags: TraceFlags.NONE });
    recordRequest(rpcServer, { method: '/user.User/GetUser', code: '0' }, 3, undefined);

    const text = await renderMetrics(registry, false);
    assert.doesNotMatch(text, /# \{/);
    const open = await renderMetrics(registry, true);
    assert.match(open, /# EOF\n$/);
    const again = parseMetrics(await renderMetrics(registry, false));
    assert.equal(counterValue(again, 'http_server_requests_code_total', { code: '200' }), 2);
    assert.equal(counterValue(again, 'rpc_server_requests_code_total', { code: '0' }), 1);
    const buckets = histogramBuckets(again, 'http_server_requests_duration_ms');
    assert.deepEqual([buckets.get('10'), buckets.get('25'), buckets.get('500'), buckets.get('+Inf')], [0, 1, 2, 2]);

    // Only the sampled request left an exemplar: on the counter and on the bucket it fell in.
    const exemplars = exemplarsOf(open, 'http_server_requests');
    assert.deepEqual(
      exemplars.map((e) => [e.metric, e.labels.le, e.exemplar.trace_id, e.exemplar.span_id, e.value]),
      [
        ['http_server_requests_duration_ms_bucket', '25', sampled.traceId, sampled.spanId, 12],
        ['http_server_requests_code_total', undefined, sampled.traceId, sampled.spanId, 1],
      ],
    );
    assert.equal(exemplarsOf(open, 'rpc_').length, 0, 'no span, no exemplar');
  });

  test('a bad label set is reported once and never thrown at the request', () => {
    const registry = createMetricsRegistry();
    const warn = console.warn;
    const warnings: string[] = [];
    console.warn = (m: string) => warnings.push(m);
    try {
      recordRequest(instruments(registry).httpServer, { nope: 'x' }, 1, sampled);
      recordRequest(instruments(registry).httpServer, { nope: 'x' }, 1, sampled);
    } finally {
      console.warn = warn;
    }
    assert.equal(warnings.length, 1);
  });

  test('wantsOpenMetrics reads the Accept header Prometheus sends', () => {
    assert.equal(wantsOpenMetrics('application/openmetrics-text;version=1.0.0,application/openmetrics-text;version=0.0.1;q=0.75,text/plain;version=0.0.4;q=0.5,*/*;q=0.1'), true);
    assert.equal(wantsOpenMetrics('text/plain'), false);
    assert.equal(wantsOpenMetrics(undefined), false);
  });
});
