import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type * as grpc from '@grpc/grpc-js';
import { P2cPicker } from './p2c.ts';
import type { Connection } from './picker.ts';
import { RoundRobinPicker } from './round-robin.ts';

const conn = (address: string): Connection => ({ address, client: {} as grpc.Client });

/** A random source replaying `values` in a loop. */
function sequence(values: number[]): () => number {
  let i = 0;
  return () => values[i++ % values.length]!;
}

describe('P2cPicker', () => {
  test('of the two drawn, takes the one with fewer calls in flight', () => {
    let now = 0;
    const picker = new P2cPicker({ now: () => now, random: sequence([0, 0]) }); // draws a then b
    const [a, b] = [conn('a'), conn('b')];
    const first = picker.pick([a, b]); // nothing known: force-picks the never-picked one
    assert.equal(first.connection, b);
    now += 1;
    // b has one call in flight, a none: a is less loaded.
    assert.equal(picker.pick([a, b]).connection, a);
  });

  test('traffic drifts to the faster instance, the slow one still gets a call each forcePick interval', () => {
    let now = 0;
    const picker = new P2cPicker({ now: () => now, random: Math.random, forcePickMs: 1000 });
    const fast = conn('fast');
    const slow = conn('slow');
    const counts = new Map<string, number>([['fast', 0], ['slow', 0]]);
    for (let i = 0; i < 2000; i++) {
      const pick = picker.pick([fast, slow]);
      counts.set(pick.connection.address, counts.get(pick.connection.address)! + 1);
      now += pick.connection === fast ? 2 : 50; // sequential calls: latency 2 ms vs 50 ms
      pick.done(0);
    }
    assert.ok(picker.load(slow) > picker.load(fast));
    assert.ok(counts.get('fast')! > 1500, `fast got ${counts.get('fast')}`);
    assert.ok(counts.get('slow')! >= 4, `slow still probed, got ${counts.get('slow')}`);
  });

  test('equal instances share concurrent load evenly', () => {
    const picker = new P2cPicker({ now: () => 0 });
    const conns = [conn('a'), conn('b'), conn('c')];
    const open: ReturnType<P2cPicker['pick']>[] = [];
    for (let i = 0; i < 300; i++) open.push(picker.pick(conns));
    const per = conns.map((c) => open.filter((p) => p.connection === c).length);
    for (const n of per) assert.ok(n >= 90 && n <= 110, `in flight per instance: ${per.join(', ')}`);
  });

  test('one ready connection is always the pick; done twice counts once', () => {
    const picker = new P2cPicker();
    const only = conn('only');
    const pick = picker.pick([only]);
    assert.equal(pick.connection, only);
    pick.done(0);
    pick.done(0);
    assert.equal(picker.load(only), Math.sqrt(picker['statsOf'](only).lagMs + 1));
  });
});

test('RoundRobinPicker: each in turn', () => {
  const picker = new RoundRobinPicker();
  const conns = [conn('a'), conn('b'), conn('c')];
  assert.deepEqual(
    Array.from({ length: 6 }, () => picker.pick(conns).connection.address),
    ['a', 'b', 'c', 'a', 'b', 'c'],
  );
});
