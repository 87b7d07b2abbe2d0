/**
 * lmdb key layouts. Every index key ends in (u64 big-endian time, 16-byte trace id), so byte
 * order is time order and a reverse range scan yields newest first. Attribute index keys start
 * with a length-prefixed value so that one value's keys form a contiguous range.
 */

const encoder = new TextEncoder();

/** Longer index values are truncated: the summary check that follows still compares in full. */
const MAX_VALUE_BYTES = 256;

/** Reserved span-name index value for traces with more distinct names than the summary keeps. */
export const OVERFLOW_NAME = '\u0000overflow';

/** (time, trace id): the byStart / byEnd index key. */
export function timeKey(time: bigint, traceId: Uint8Array): Uint8Array {
  return indexKey(new Uint8Array(0), time, traceId);
}

/** The prefix of one value's range in a service or span-name index. */
export function valuePrefix(value: string): Uint8Array {
  const utf8 = encoder.encode(value).subarray(0, MAX_VALUE_BYTES);
  const out = new Uint8Array(2 + utf8.length);
  out[0] = utf8.length >> 8;
  out[1] = utf8.length & 0xff;
  out.set(utf8, 2);
  return out;
}

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

/** The (time, trace id) at the end of an index key. */
export function parseIndexKey(key: Uint8Array): { time: bigint; traceId: Uint8Array } {
  const at = key.length - 24;
  const time = new DataView(key.buffer, key.byteOffset, key.byteLength).getBigUint64(at);
  return { time, traceId: key.subarray(at + 8) };
}

/** First and last possible span keys of a trace (trace id + span id). */
export function spanRange(traceId: Uint8Array): { start: Uint8Array; end: Uint8Array } {
  const start = new Uint8Array(24);
  start.set(traceId);
  const end = new Uint8Array(24).fill(0xff);
  end.set(traceId);
  return { start, end };
}

export const MAX_U64 = (1n << 64n) - 1n;
const ZERO_ID = new Uint8Array(16);
const MAX_ID = new Uint8Array(16).fill(0xff);

function clampU64(n: bigint): bigint {
  return n < 0n ? 0n : n > MAX_U64 ? MAX_U64 : n;
}
