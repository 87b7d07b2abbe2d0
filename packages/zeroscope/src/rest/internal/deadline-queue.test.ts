import assert from 'node:assert/strict';
import { performance } from 'node:perf_hooks';
import { describe, test } from 'node:test';
import { DeadlineQueue } from './deadline-queue.ts';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('DeadlineQueue', () => {
  test('expires pending deadlines in the order added, never before their time, skipping cancelled ones', async () => {
    const queue = new DeadlineQueue(15);
    const fired: string[] = [];
    const late: number[] = [];
    const track = (name: string) => {
      const added = performance.now();
      return () => {
        fired.push(name);
        late.push(performance.now() - added);
      };
    };
    const a = queue.add(track('a'));
    const b = queue.add(track('b'));
    await sleep(5);
    queue.add(track('c'));
    queue.cancel(b);
    while (fired.length < 2) await sleep(5);
    assert.deepEqual(fired, ['a', 'c']);
    // Node's timer clock is whole milliseconds: allow it, but never a deadline cut short by more.
    for (const waited of late) assert.ok(waited >= 14, `fired after ${waited}ms`);
    queue.cancel(a); // after expiry: a no-op
    assert.equal(queue.size, 0);
  });

  test('in-order completions keep the list short; an out-of-order one waits behind the pending head', () => {
    const queue = new DeadlineQueue(60_000);
    for (let i = 0; i < 100; i++) queue.cancel(queue.add(() => assert.fail('cancelled deadline fired')));
    assert.equal(queue.size, 0);
    const head = queue.add(() => {});
    const behind = queue.add(() => assert.fail('cancelled deadline fired'));
    queue.cancel(behind);
    assert.equal(queue.size, 2);
    queue.cancel(head);
    assert.equal(queue.size, 0);
  });

  test('a deadline added while expiring is not delayed past its own time', async () => {
    const queue = new DeadlineQueue(10);
    const fired: string[] = [];
    queue.add(() => {
      fired.push('first');
      queue.add(() => fired.push('added while firing'));
    });
    queue.add(() => fired.push('second'));
    while (fired.length < 3) await sleep(5);
    assert.deepEqual(fired, ['first', 'second', 'added while firing']);
  });
});
