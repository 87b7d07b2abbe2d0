import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { formatDuration, formatTick, plural } from './format.ts';

describe('format', () => {
  it('formats durations with three significant digits', () => {
    assert.deepEqual([950, 12_300, 4_560_000, 1.2e9, 185e9].map(formatDuration), ['950ns', '12.3µs', '4.56ms', '1.20s', '3m 5s']);
  });
  it('drops trailing zeros from axis labels only', () => {
    assert.deepEqual([20e6, 1e9, 1.5e9, 250e3, 2.25e6, 100e6, 500].map(formatTick), ['20ms', '1s', '1.5s', '250µs', '2.25ms', '100ms', '500ns']);
  });
  it('pluralises', () => {
    assert.deepEqual([plural(1, 'service'), plural(3, 'service'), plural(0, 'edge')], ['1 service', '3 services', '0 edges']);
  });
});
