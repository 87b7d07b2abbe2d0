import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CommitGroups, DEFAULT_LINGER_MS } from './commit-groups.ts';
import type { PreparedBatch } from './prepare.ts';

/** A batch of `spans` spans of one trace (only the counts and trace ids matter here). */
function batch(traceHex: string, spans = 1): PreparedBatch {
  const traceId = Buffer.from(traceHex.padStart(32, '0'), 'hex');
  return {
    traces: [{ traceId, traceHex, spans: Array.from({ length: spans }, () => ({ key: new Uint8Array(24), value: new Uint8Array(20), start: 1n, end: 2n, name: 'op', serviceName: 's', isRoot: false, isError: false })) }],
    blobs: [],
    spanCount: spans,
    newTags: [],
  };
}

/** A commit function that records each call and settles when the test says. */
function recorder() {
  const calls: { batch: PreparedBatch; settle(err?: Error): void }[] = [];
  let running = 0;
  let maxRunning = 0;
  const commit = (b: PreparedBatch): Promise<void> => {
    running++;
    maxRunning = Math.max(maxRunning, running);
    return new Promise<void>((resolve, reject) => {
      calls.push({
        batch: b,
        settle: (err) => {
          running--;
          if (err) reject(err);
          else resolve();
        },
      });
    });
  };
  return { calls, commit, maxRunning: () => maxRunning };
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
/** After the immediates queued so far (a group cut "at once" is cut then). */
const nextTurn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/** Tracks whether a promise has settled, and how. */
function watch(p: Promise<void>): { state: 'pending' | 'resolved' | 'rejected'; error?: unknown } {
  const w: { state: 'pending' | 'resolved' | 'rejected'; error?: unknown } = { state: 'pending' };
  p.then(
    () => (w.state = 'resolved'),
    (error: unknown) => Object.assign(w, { state: 'rejected', error }),
  );
  return w;
}

describe('CommitGroups', () => {
  it('commits the pushes of one event turn together, each answered only once that commit settles', async () => {
    const r = recorder();
    const groups = new CommitGroups(r.commit, { lingerMs: 10_000 });
    const a = watch(groups.add(batch('a1', 2)));
    const b = watch(groups.add(batch('b1')));
    const c = watch(groups.add(batch('a1')));
    assert.equal(r.calls.length, 0, 'cut at the end of the turn, not on the first push');
    await nextTurn();
    assert.equal(r.calls.length, 1);
    const merged = r.calls[0].batch;
    assert.equal(merged.spanCount, 4);
    assert.deepEqual(merged.traces.map((t) => [t.traceHex, t.spans.length]), [['a1', 3], ['b1', 1]], 'a trace two pushes share is written once');
    assert.deepEqual([a.state, b.state, c.state], ['pending', 'pending', 'pending'], 'no answer before the commit is durable');
    r.calls[0].settle();
    await nextTurn();
    assert.deepEqual([a.state, b.state, c.state], ['resolved', 'resolved', 'resolved']);
  });

  // A lingering importer takes ten minutes here; the timeout makes that a failure, not a hang.
  it('commits one push at a time at once when each waits for its answer before the next (an importer)', { timeout: 30_000 }, async () => {
    const groups = new CommitGroups(async () => {}, { lingerMs: 60_000 });
    // With the linger applied, this would take ten minutes.
    for (let i = 0; i < 10; i++) await groups.add(batch(`a${i}`));
  });

  it('lingers once pushes overlap: a push during a commit waits for it, then for others to join, up to the linger', async () => {
    const r = recorder();
    const groups = new CommitGroups(r.commit, { lingerMs: 40 });
    const first = watch(groups.add(batch('a1')));
    await nextTurn();
    assert.equal(r.calls.length, 1, 'a lone push is committed at once');
    const second = watch(groups.add(batch('a1')));
    await sleep(5);
    assert.equal(r.calls.length, 1, 'the second group waits for the running commit');
    r.calls[0].settle();
    await nextTurn();
    assert.equal(first.state, 'resolved');
    assert.equal(r.calls.length, 1, 'pushes overlap now: the second group lingers');
    const third = watch(groups.add(batch('b1')));
    // A later timer: the linger's has fired by then, however slow the machine.
    await sleep(60);
    assert.equal(r.calls.length, 2);
    assert.deepEqual(r.calls[1].batch.traces.map((t) => t.traceHex), ['a1', 'b1']);
    assert.deepEqual([second.state, third.state], ['pending', 'pending']);
    r.calls[1].settle();
    await nextTurn();
    assert.deepEqual([second.state, third.state], ['resolved', 'resolved']);
    assert.equal(r.maxRunning(), 1, 'small groups never commit two at once');
  });

  it('by default, gathers the two parts of a demo trace sent a few ms apart into one commit once pushes overlap', async () => {
    const r = recorder();
    const groups = new CommitGroups(r.commit);
    // Two services exporting at once: their pushes overlap, so the next groups linger.
    const warm = [groups.add(batch('w1')), groups.add(batch('w2'))];
    await nextTurn();
    r.calls[0].settle();
    await Promise.all(warm);
    // user's part (1 span), then order's (2 spans) 8 ms later, as the demo's services send them.
    const user = watch(groups.add(batch('t1')));
    await sleep(8);
    const order = watch(groups.add(batch('t1', 2)));
    assert.equal(r.calls.length, 1, 'the first part is still lingering when the second comes');
    // Past the default linger, however slow the machine's timers.
    await sleep(DEFAULT_LINGER_MS + 40);
    assert.equal(r.calls.length, 2);
    assert.deepEqual(r.calls[1].batch.traces.map((t) => [t.traceHex, t.spans.length]), [['t1', 3]], 'one commit, the trace merged and indexed once');
    r.calls[1].settle();
    await nextTurn();
    assert.deepEqual([user.state, order.state], ['resolved', 'resolved']);
  });

  it('commits a full export without lingering', async () => {
    const r = recorder();
    const groups = new CommitGroups(r.commit, { lingerMs: 10_000, fullSpans: 8 });
    // Make pushes overlap, so that the linger would apply to a smaller group.
    const warm = [groups.add(batch('w1')), groups.add(batch('w2'))];
    await nextTurn();
    r.calls[0].settle();
    await Promise.all(warm);
    const p = groups.add(batch('a1', 8));
    await nextTurn();
    assert.equal(r.calls.length, 2);
    assert.equal(r.calls[1].batch.spanCount, 8);
    r.calls[1].settle();
    await p;
  });

  it('queues a full group behind a running commit unless it writes one of that commit\'s traces', async () => {
    const r = recorder();
    const groups = new CommitGroups(r.commit, { lingerMs: 10_000, fullSpans: 4 });
    const first = groups.add(batch('a1', 4));
    await nextTurn();
    assert.equal(r.calls.length, 1);
    const other = groups.add(batch('b1', 4));
    await nextTurn();
    assert.equal(r.calls.length, 2, 'full, and no trace in common: queued at once');
    const same = groups.add(batch('a1', 4));
    await nextTurn();
    assert.equal(r.calls.length, 2, 'writes a1, which a running commit writes: waits');
    r.calls[0].settle();
    await nextTurn();
    await nextTurn();
    assert.equal(r.calls.length, 3, 'cut once the commit writing a1 settled');
    r.calls[1].settle();
    r.calls[2].settle();
    await Promise.all([first, other, same]);
    assert.equal(r.maxRunning(), 2);
  });

  it('fails every push of a failed commit with its error, and none of the next group', async () => {
    const r = recorder();
    const groups = new CommitGroups(r.commit, { lingerMs: 1 });
    const failed = [watch(groups.add(batch('a1'))), watch(groups.add(batch('b1')))];
    await nextTurn();
    const next = watch(groups.add(batch('c1')));
    const disk = new Error('disk full');
    r.calls[0].settle(disk);
    await nextTurn();
    assert.deepEqual(failed.map((w) => [w.state, w.error]), [['rejected', disk], ['rejected', disk]]);
    assert.equal(next.state, 'pending');
    await sleep(10);
    assert.equal(r.calls.length, 2);
    r.calls[1].settle();
    await nextTurn();
    assert.equal(next.state, 'resolved');
  });

  it('fails the group when the commit function throws instead of rejecting, and keeps working', async () => {
    let calls = 0;
    const groups = new CommitGroups(
      () => {
        if (calls++ === 0) throw new Error('queueing failed');
        return Promise.resolve();
      },
      { lingerMs: 0 },
    );
    await assert.rejects(groups.add(batch('a1')), /queueing failed/);
    await groups.add(batch('b1'));
    assert.equal(calls, 2);
  });

  it('refuses a linger that is not a finite number ≥ 0', () => {
    for (const lingerMs of [-1, Number.NaN, Number.POSITIVE_INFINITY]) {
      assert.throws(() => new CommitGroups(async () => {}, { lingerMs }), /commitLingerMs must be a finite number/);
    }
  });
});
