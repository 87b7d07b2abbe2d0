/**
 * lmdb key layouts. Every index key ends in (u64 big-endian time, 16-byte trace id), so byte
 * order is time order and a reverse range scan yields newest first. Attribute index keys start
 * with a length-prefixed value so that one value's keys form a contiguous range.
 */

import { clampU64, lengthPrefixed } from '../../lmdb/index.ts';

export { MAX_U64 } from '../../lmdb/index.ts';

/** Reserved span-name index value for traces with more distinct names than the summary keeps. */
export const OVERFLOW_NAME = '\u0000overflow';

/** (time, trace id): the byStart / byEnd index key. */
export function timeKey(time: bigint, traceId: Uint8Array): Uint8Array {
  return indexKey(new Uint8Array(0), time, traceId);
}

/**
 * The prefix of one value's range in a service or span-name index. Longer values are truncated:
 * the summary check that follows still compares in full.
 */
export function valuePrefix(value: string): Uint8Array {
  // Every push writes index keys for its traces' few service and span names: encode each once.
  let prefix = prefixCache.get(value);
  if (!prefix) {
    if (prefixCache.size >= PREFIX_CACHE_LIMIT) prefixCache.clear();
    prefixCache.set(value, (prefix = lengthPrefixed(value)));
  }
  return prefix;
}

/** Shared and never written to: callers copy the prefix into the keys they build. */
const prefixCache = new Map<string, Uint8Array>();
const PREFIX_CACHE_LIMIT = 10_000;

/** prefix + (time, trace id). */
export function indexKey(prefix: Uint8Array, time: bigint, traceId: Uint8Array): Uint8Array {
  const out = Buffer.allocUnsafe(prefix.length + 24);
  out.set(prefix, 0);
  out.writeBigUInt64BE(clampU64(time), prefix.length);
  out.set(traceId, prefix.length + 8);
  return out;
}

/** The lowest and highest possible keys for times in [low, high] under a prefix. */
export function indexBounds(prefix: Uint8Array, low: bigint, high: bigint): { low: Uint8Array; high: Uint8Array } {
  return { low: indexKey(prefix, low, ZERO_ID), high: indexKey(prefix, high, MAX_ID) };
}

/** First and last possible span keys of a trace (trace id + span id). */
export function spanRange(traceId: Uint8Array): { start: Uint8Array; end: Uint8Array } {
  const start = new Uint8Array(24);
  start.set(traceId);
  const end = new Uint8Array(24).fill(0xff);
  end.set(traceId);
  return { start, end };
}

const ZERO_ID = new Uint8Array(16);
const MAX_ID = new Uint8Array(16).fill(0xff);

