import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  effectiveTraceQL,
  emptySearchState,
  pickersToTraceQL,
  stateFromParams,
  stateToParams,
  toSearchParams,
  type SearchState,
} from './search-state.ts';

const full: SearchState = {
  service: 'order',
  spanName: 'GET /api/order/:id',
  filters: [
    { key: 'http.response.status_code', op: '>=', value: '500' },
    { key: 'resource.deployment.environment', op: '=', value: 'prod "eu" a b' },
    { key: 'status', op: '=', value: 'error' },
  ],
  minDuration: '100ms',
  maxDuration: '2s',
  range: 'custom',
  start: 1_700_000_000,
  end: 1_700_003_600,
  q: '',
  limit: 50,
};

describe('search state in the URL', () => {
  it('round-trips every field through URL parameters', () => {
    const url = `/search?${stateToParams(full)}`;
    assert.deepEqual(stateFromParams(new URL(url, 'http://x').searchParams), full);
  });
  it('round-trips typed TraceQL and relative ranges, leaving defaults out of the URL', () => {
    const s = { ...emptySearchState(), q: '{ span.a = "x" } | count() > 2', range: '15m' as const };
    assert.deepEqual(stateFromParams(stateToParams(s)), s);
    assert.equal(stateToParams(emptySearchState()).toString(), '');
  });
  it('falls back to defaults for malformed values', () => {
    const s = stateFromParams(new URLSearchParams('range=week&limit=-3&minDuration=fast&attr=nokey&attr=a%20%3D%3D%20b'));
    assert.deepEqual(s, emptySearchState());
  });
});

describe('TraceQL from the pickers', () => {
  it('builds one spanset with typed literals and escaped strings', () => {
    assert.equal(
      pickersToTraceQL(full),
      '{ resource.service.name = "order" && name = "GET /api/order/:id" && .http.response.status_code >= 500 && resource.deployment.environment = "prod \\"eu\\" a b" && status = error }',
    );
    assert.equal(pickersToTraceQL(emptySearchState()), '{}');
  });
  it('lets typed TraceQL win', () => {
    assert.equal(effectiveTraceQL({ ...full, q: ' { name = "x" } ' }), '{ name = "x" }');
    assert.equal(effectiveTraceQL(full), pickersToTraceQL(full));
  });
  it('keeps a value the user quoted as a string', () => {
    const s = { ...emptySearchState(), filters: [{ key: 'user.id', op: '=' as const, value: '"42"' }] };
    assert.equal(pickersToTraceQL(s), '{ .user.id = "42" }');
  });
});

describe('Tempo search parameters', () => {
  it('turns a relative range into start/end seconds ending now', () => {
    const p = toSearchParams({ ...emptySearchState(), range: '15m', minDuration: '5ms' }, 10_000.7);
    assert.deepEqual(Object.fromEntries(p), { q: '{}', limit: '20', spss: '3', minDuration: '5ms', start: '9100', end: '10000' });
  });
  it('passes a custom range through', () => {
    const p = toSearchParams(full, 0);
    assert.equal(p.get('start'), '1700000000');
    assert.equal(p.get('end'), '1700003600');
    assert.equal(p.get('maxDuration'), '2s');
  });
});
