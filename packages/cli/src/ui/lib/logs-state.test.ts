import assert from 'node:assert/strict';
import { it } from 'node:test';
import { emptyLogsState, logsStateFromParams, logsStateToParams, toLogSearchParams } from './logs-state.ts';

it('round-trips the logs form through the URL and drops malformed values', () => {
  const state = { ...emptyLogsState(), service: 'order', level: 'error' as const, q: 'timeout', range: 'custom' as const, start: 100, end: 200, limit: 50 };
  const params = logsStateToParams(state);
  assert.equal(params.toString(), 'service=order&level=error&q=timeout&range=custom&start=100&end=200&limit=50');
  assert.deepEqual(logsStateFromParams(params), state);
  assert.deepEqual(logsStateFromParams(new URLSearchParams('level=loud&range=7y&limit=-3')), emptyLogsState());
  assert.equal(logsStateToParams(emptyLogsState()).toString(), '');
});

it('resolves a relative range to start/end seconds for the API', () => {
  const p = toLogSearchParams({ ...emptyLogsState(), range: '15m', level: 'warn' }, 10_000.7);
  assert.equal(p.get('start'), String(10_000 - 900));
  assert.equal(p.get('end'), '10001');
  assert.equal(p.get('level'), 'warn');
  assert.equal(p.get('limit'), '100');
});
