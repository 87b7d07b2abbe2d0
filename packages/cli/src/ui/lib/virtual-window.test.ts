import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { rowWindow, scrollTopFor } from './virtual-window.ts';

describe('rowWindow', () => {
  it('renders the rows on screen plus a margin, clamped to the list', () => {
    assert.deepEqual(rowWindow(0, 260, 26, 5000, 5), { first: 0, last: 15 });
    assert.deepEqual(rowWindow(2600, 260, 26, 5000, 5), { first: 95, last: 115 });
    assert.deepEqual(rowWindow(26 * 4990, 260, 26, 5000, 5), { first: 4985, last: 5000 });
    assert.deepEqual(rowWindow(0, 260, 26, 0), { first: 0, last: 0 });
  });
  it('scrolls only when the row is off screen', () => {
    assert.equal(scrollTopFor(3, 26, 260, 0), 0);
    assert.equal(scrollTopFor(1000, 26, 260, 0), 26_000 - 130);
  });
});
