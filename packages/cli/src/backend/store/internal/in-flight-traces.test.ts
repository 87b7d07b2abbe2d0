import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { InFlightTraces } from './in-flight-traces.ts';

const tick = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

describe('InFlightTraces', () => {
  it('names each distinct commit a push must wait for, and forgets a trace once its commit settles either way', async () => {
    const traces = new InFlightTraces();
    let commitA!: () => void;
    let failB!: (err: Error) => void;
    const a = new Promise<void>((resolve) => (commitA = resolve));
    const b = new Promise<void>((_, reject) => (failB = reject));
    b.catch(() => {});
    traces.mark(['t1', 't2'], a);
    traces.mark(['t3'], b);
    assert.deepEqual(traces.pending(['t0']), []);
    assert.deepEqual(traces.pending(['t1', 't2']), [a], 'one commit named once');
    assert.deepEqual(traces.pending(['t3', 't1', 't9']), [b, a]);
    commitA();
    failB(new Error('disk'));
    await tick();
    assert.deepEqual(traces.pending(['t1', 't2', 't3']), []);
  });

  it('keeps a later mark of the same trace when the earlier commit settles', async () => {
    const traces = new InFlightTraces();
    let first!: () => void;
    const earlier = new Promise<void>((resolve) => (first = resolve));
    const later = new Promise<void>(() => {});
    traces.mark(['t1'], earlier);
    traces.mark(['t1'], later);
    first();
    await tick();
    assert.deepEqual(traces.pending(['t1']), [later]);
  });
});
