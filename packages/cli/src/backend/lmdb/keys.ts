/** Byte-key building blocks shared by the trace store's and the log store's lmdb layouts. */

const encoder = new TextEncoder();

/** The largest u64: the open end of a time range. */
export const MAX_U64 = (1n << 64n) - 1n;

/** Index values longer than this many UTF-8 bytes are truncated in keys. */
export const MAX_KEY_VALUE_BYTES = 256;

/** `n` clamped to u64, so any bigint time can be written as 8 big-endian bytes. */
export function clampU64(n: bigint): bigint {
  return n < 0n ? 0n : n > MAX_U64 ? MAX_U64 : n;
}

/**
 * A string as a key prefix: u16 big-endian length, then its UTF-8 bytes (truncated to
 * {@link MAX_KEY_VALUE_BYTES}). The length keeps one value's keys a contiguous range that no
 * longer value sharing its start can fall into.
 */
export function lengthPrefixed(value: string): Uint8Array {
  const utf8 = encoder.encode(value).subarray(0, MAX_KEY_VALUE_BYTES);
  const out = new Uint8Array(2 + utf8.length);
  out[0] = utf8.length >> 8;
  out[1] = utf8.length & 0xff;
  out.set(utf8, 2);
  return out;
}
