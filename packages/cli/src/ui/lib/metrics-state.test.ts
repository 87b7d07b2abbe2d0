import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { DEFAULT_METRICS_QUERY, metricsStateFromParams, metricsStateToParams, toMetricsInstantParams, toMetricsRangeParams } from './metrics-state.ts';

describe('metrics form state', () => {
  it('runs the default query when the URL names none, and leaves defaults out of the URL', () => {
    const s = metricsStateFromParams(new URLSearchParams(''));
    assert.deepEqual(s, { q: DEFAULT_METRICS_QUERY, step: '', instant: false, range: '1h' });
    assert.equal(metricsStateToParams(s).toString(), '');
  });
  it('round-trips query, custom range and step through the URL', () => {
    const p = new URLSearchParams({ q: '{ } | quantile_over_time(duration, .5) by (name)', range: 'custom', start: '1700000000', end: '1700003600', step: '30s' });
    const s = metricsStateFromParams(p);
    assert.deepEqual(s, { q: p.get('q'), step: '30s', instant: false, range: 'custom', start: 1700000000, end: 1700003600 });
    assert.equal(metricsStateToParams(s).toString(), p.toString());
  });
  it('sends the query, the resolved range and the step as typed', () => {
    const s = metricsStateFromParams(new URLSearchParams({ q: ' { } | rate() ', range: '15m', step: 'soon' }));
    const api = toMetricsRangeParams(s, 1_700_000_000.7);
    assert.deepEqual(Object.fromEntries(api), { q: '{ } | rate()', start: '1699999100', end: '1700000000', step: 'soon' });
    assert.equal(toMetricsRangeParams({ ...s, step: '' }, 1_700_000_000).has('step'), false);
  });
  it('keeps an instant query in the URL and sends it without a step', () => {
    const s = metricsStateFromParams(new URLSearchParams({ q: '{ } | rate()', range: '15m', step: '1m', instant: '1' }));
    assert.equal(s.instant, true);
    assert.equal(metricsStateToParams(s).get('instant'), '1');
    assert.deepEqual(Object.fromEntries(toMetricsInstantParams(s, 1_700_000_000)), { q: '{ } | rate()', start: '1699999100', end: '1700000000' });
  });
});
