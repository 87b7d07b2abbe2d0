import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { isInternalHref, parseRoute, traceHref } from './router.ts';

describe('parseRoute', () => {
  it('maps / and /search to the search page with its parameters', () => {
    assert.equal(parseRoute('/').name, 'search');
    const r = parseRoute('/search/', '?service=order');
    assert.ok(r.name === 'search' && r.params.get('service') === 'order');
  });
  it('reads trace and span ids, normalising them', () => {
    assert.deepEqual(parseRoute('/trace/ABC', '?span=00F067AA0BA902B7'), {
      name: 'trace',
      traceId: '00000000000000000000000000000abc',
      spanId: '00f067aa0ba902b7',
    });
    assert.deepEqual(parseRoute('/trace/4bf92f3577b34da6a3ce929d0e0e4736', '?span=bad'), {
      name: 'trace',
      traceId: '4bf92f3577b34da6a3ce929d0e0e4736',
    });
  });
  it('sends unknown paths and bad ids to not-found', () => {
    assert.equal(parseRoute('/trace/xyz').name, 'not-found');
    assert.equal(parseRoute('/nope').name, 'not-found');
    assert.equal(parseRoute('/services').name, 'services');
  });
  it('maps /logs and /red to their pages with their parameters', () => {
    const logs = parseRoute('/logs', '?level=error');
    assert.ok(logs.name === 'logs' && logs.params.get('level') === 'error');
    assert.equal(parseRoute('/red/').name, 'red');
    assert.ok(isInternalHref('/logs?service=order'));
  });
  it('maps /traceql-metrics to the metrics page and leaves /metrics (Prometheus) alone', () => {
    const metrics = parseRoute('/traceql-metrics', '?q=%7B%7D+%7C+rate()&step=1m');
    assert.ok(metrics.name === 'metrics' && metrics.params.get('q') === '{} | rate()' && metrics.params.get('step') === '1m');
    assert.equal(parseRoute('/metrics').name, 'not-found');
  });
});

describe('links', () => {
  it('builds trace links only from valid ids', () => {
    assert.equal(traceHref('abc', '00f067aa0ba902b7'), '/trace/00000000000000000000000000000abc?span=00f067aa0ba902b7');
    assert.equal(traceHref('javascript:alert(1)'), '/');
    assert.equal(traceHref('4bf92f3577b34da6a3ce929d0e0e4736', '"><x'), '/trace/4bf92f3577b34da6a3ce929d0e0e4736');
  });
  it('accepts only same-origin routes as internal', () => {
    assert.ok(isInternalHref('/trace/4bf92f3577b34da6a3ce929d0e0e4736'));
    assert.ok(isInternalHref('/search?q=%7B%7D'));
    for (const bad of ['//evil.example/x', 'https://evil.example/', 'javascript:alert(1)', '/\\evil', '/unknown']) {
      assert.equal(isInternalHref(bad), false, bad);
    }
  });
});
