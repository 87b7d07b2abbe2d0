import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { open } from 'lmdb';
import { MAX_KEY_VALUE_BYTES, MAX_U64, PendingWrites, claimFormatVersion, clampU64, lengthPrefixed } from './index.ts';

describe('lmdb keys', () => {
  it('clamps times to u64', () => {
    assert.equal(clampU64(-5n), 0n);
    assert.equal(clampU64(42n), 42n);
    assert.equal(clampU64(MAX_U64 + 1n), MAX_U64);
  });

  it('length-prefixes values, truncating long ones, so one value is one contiguous range', () => {
    assert.deepEqual([...lengthPrefixed('ab')], [0, 2, 97, 98]);
    const long = lengthPrefixed('x'.repeat(1000));
    assert.equal(long.length, 2 + MAX_KEY_VALUE_BYTES);
    assert.deepEqual([...long.subarray(0, 2)], [MAX_KEY_VALUE_BYTES >> 8, MAX_KEY_VALUE_BYTES & 0xff]);
    // 'a' and 'ab' share a first byte but not a prefix.
    const a = lengthPrefixed('a');
    const ab = lengthPrefixed('ab');
    assert.notDeepEqual(ab.subarray(0, a.length), a);
  });
});

describe('PendingWrites', () => {
  it('settles after every tracked write, failed ones included, and passes results through', async () => {
    const writes = new PendingWrites();
    let release!: () => void;
    const slow = writes.track(new Promise<void>((resolve) => (release = resolve)));
    const failed = writes.track(Promise.reject(new Error('disk')));
    await assert.rejects(failed, /disk/);
    assert.equal(await writes.track(Promise.resolve(7)), 7);
    let settled = false;
    const waiting = writes.settled().then(() => (settled = true));
    await new Promise((resolve) => setImmediate(resolve));
    assert.equal(settled, false, 'waits for the slow write');
    release();
    await slow;
    await waiting;
    assert.equal(settled, true);
  });
});

describe('claimFormatVersion', () => {
  it('stamps a new environment and refuses a newer format', async (t) => {
    const dir = mkdtempSync(join(tmpdir(), 'zeroscope-lmdb-'));
    t.after(() => rmSync(dir, { recursive: true, force: true }));
    const tooNew = (found: number) => new Error(`format ${found}`);
    let root = open({ path: dir });
    claimFormatVersion(root, root.openDB<unknown, string>({ name: 'meta' }), 2, tooNew);
    assert.equal(root.openDB<unknown, string>({ name: 'meta' }).get('formatVersion'), 2);
    await root.close();
    root = open({ path: dir });
    claimFormatVersion(root, root.openDB<unknown, string>({ name: 'meta' }), 3, tooNew); // an older format is read
    assert.throws(() => claimFormatVersion(root, root.openDB<unknown, string>({ name: 'meta' }), 1, tooNew), /format 2/);
  });
});
