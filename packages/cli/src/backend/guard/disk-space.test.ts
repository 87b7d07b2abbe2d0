import assert from 'node:assert/strict';
import { tmpdir } from 'node:os';
import { describe, it } from 'node:test';
import { defaultMinFreeBytes, diskSpaceGuard, statfsFreeBytes } from './disk-space.ts';
import { LowDiskError } from './errors.ts';

describe('diskSpaceGuard', () => {
  it('refuses writes with 507 while the disk is low and accepts them once space frees', async () => {
    let free = 10;
    const pushed: number[] = [];
    const guard = diskSpaceGuard({ push: async (n: number) => void pushed.push(n) }, {
      path: '/data', minFreeBytes: 100, checkIntervalMs: 0, probe: async () => free,
    });
    const err = await guard.push(1).then(() => undefined, (e: unknown) => e);
    assert.ok(err instanceof LowDiskError);
    assert.equal(err.httpStatus, 507);
    assert.equal(err.grpcCode, 8);
    free = 1000;
    await guard.push(2);
    assert.deepEqual(pushed, [2]);
  });

  it('probes at most once per interval and lets writes through when the probe fails', async () => {
    let probes = 0;
    const guard = diskSpaceGuard({ push: async () => {} }, {
      path: '/data', checkIntervalMs: 60_000, probe: async () => { probes++; throw new Error('EIO'); },
    });
    await Promise.all([guard.push(1), guard.push(2), guard.push(3)]);
    await guard.push(4);
    assert.equal(probes, 1);
  });

  it('probes on every push near the floor, so concurrent large writes cannot share one stale answer', async () => {
    let probes = 0;
    const guard = diskSpaceGuard({ push: async () => {} }, {
      path: '/data', minFreeBytes: 100, checkIntervalMs: 60_000, probe: async () => { probes++; return 200; },
    });
    await guard.push(1);
    await guard.push(2);
    await guard.push(3);
    assert.equal(probes, 3);
  });

  it('sizes the default floor for small disks: 5%, at most 64 MiB', () => {
    assert.equal(defaultMinFreeBytes(100 * 1024 * 1024), 5 * 1024 * 1024);
    assert.equal(defaultMinFreeBytes(1024 ** 4), 64 * 1024 * 1024);
    assert.equal(defaultMinFreeBytes(NaN), 64 * 1024 * 1024);
  });

  it('reads real free space', async () => {
    assert.ok((await statfsFreeBytes(tmpdir())) > 0);
  });
});
