/**
 * Free-space checks of the data directory's file system. lmdb grows its file as it needs, so a
 * nearly full disk would otherwise surface as a failed commit deep in a write; checking first
 * answers 507 early and keeps enough room for the reads' and retention's own bookkeeping.
 */
import { statfs } from 'node:fs/promises';
import { LowDiskError } from './errors.ts';
import type { Pusher } from './push-limiter.ts';

/** Bytes free to an unprivileged writer on the file system holding `path`. */
export type FreeBytesProbe = (path: string) => Promise<number>;

/** The real probe: statfs's available blocks times the block size. */
export const statfsFreeBytes: FreeBytesProbe = async (path) => {
  const s = await statfs(path);
  return s.bavail * s.bsize;
};

/** Options of {@link diskSpaceGuard}. */
export interface DiskSpaceOptions {
  /** A path on the file system to watch (the data dir). */
  path: string;
  /** Writes are refused below this many free bytes (default 64 MiB). */
  minFreeBytes?: number;
  /** How long one probe's answer is trusted (default 1 s), so a busy receiver does not statfs per push. */
  checkIntervalMs?: number;
  /** Replaces statfs (tests). */
  probe?: FreeBytesProbe;
}

/** The floor on a large disk. */
export const DEFAULT_MIN_FREE_BYTES = 64 * 1024 * 1024;
/** The share of a small disk kept free by default (5% of 100 MiB is 5 MiB, not the large-disk 64). */
export const DEFAULT_MIN_FREE_SHARE = 0.05;

/**
 * The default floor for a file system of `totalBytes`: 5% of it, at most 64 MiB, so a 100 MiB
 * disk still takes writes while a large one keeps room for lmdb's growth and retention.
 */
export function defaultMinFreeBytes(totalBytes: number): number {
  if (!Number.isFinite(totalBytes) || totalBytes <= 0) return DEFAULT_MIN_FREE_BYTES;
  return Math.min(DEFAULT_MIN_FREE_BYTES, Math.floor(totalBytes * DEFAULT_MIN_FREE_SHARE));
}

/** Size of the file system holding `path`, in bytes. */
export async function statfsTotalBytes(path: string): Promise<number> {
  const s = await statfs(path);
  return s.blocks * s.bsize;
}

/**
 * Within this much of the floor, every push probes (a cached answer would let several large
 * concurrent exports past a check made before any of them landed).
 */
const NEAR_FLOOR_BYTES = 256 * 1024 * 1024;

/** A pusher refusing writes while the disk is low; `freeBytes()` is the last probe's answer. */
export interface DiskGuardedPusher<R> extends Pusher<R> {
  push(request: R): Promise<void>;
  freeBytes(): Promise<number>;
}

/**
 * Wraps `pusher` so writes fail with LowDiskError (507 / RESOURCE_EXHAUSTED) while the file system
 * has less than `minFreeBytes` free, and succeed again as soon as a later probe sees room. A
 * failing probe lets writes through: the store's own disk-full handling is the backstop.
 * @example
 * const pusher = diskSpaceGuard(storePusher(store), { path: config.dataDir });
 */
export function diskSpaceGuard<R>(pusher: Pusher<R>, options: DiskSpaceOptions): DiskGuardedPusher<R> {
  const probe = options.probe ?? statfsFreeBytes;
  const minFree = options.minFreeBytes ?? DEFAULT_MIN_FREE_BYTES;
  const interval = options.checkIntervalMs ?? 1000;
  let last = { at: -Infinity, free: Infinity };
  let probing: Promise<number> | undefined;

  const freeBytes = (): Promise<number> => {
    const near = last.free < minFree + NEAR_FLOOR_BYTES;
    if (!near && performance.now() - last.at < interval) return Promise.resolve(last.free);
    probing ??= probe(options.path)
      .catch(() => Infinity)
      .then((free) => {
        last = { at: performance.now(), free };
        probing = undefined;
        return free;
      });
    return probing;
  };

  return {
    async push(request) {
      const free = await freeBytes();
      if (free < minFree) throw new LowDiskError(free, minFree);
      await pusher.push(request);
    },
    freeBytes,
  };
}
