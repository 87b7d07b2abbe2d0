/**
 * lmdb key layouts of the log store. Every key ends in (u64 big-endian time, 8-byte record
 * hash), so byte order is time order and a reverse scan yields newest first.
 *
 *   records    time + hash                      → StoredLog without id (msgpack)
 *   byTrace    trace id (16) + time + hash      → ''
 *   byService  len (2) + service + time + hash  → ''
 *   byLevel    level (1) + time + hash          → ''
 */
import { clampU64, lengthPrefixed } from '../../lmdb/index.ts';

/** Bytes of a record key: time (8) + hash (8). */
export const RECORD_KEY_BYTES = 16;

/** A record key from its time and content hash. */
export function recordKey(time: bigint, hash: Uint8Array): Uint8Array {
  const out = Buffer.allocUnsafe(RECORD_KEY_BYTES);
  out.writeBigUInt64BE(clampU64(time), 0);
  out.set(hash.subarray(0, 8), 8);
  return out;
}

/** The record key at the end of an index key. */
export function tailOf(key: Uint8Array): Uint8Array {
  return key.subarray(key.length - RECORD_KEY_BYTES);
}

/** prefix + record key. */
export function indexKey(prefix: Uint8Array, record: Uint8Array): Uint8Array {
  const out = new Uint8Array(prefix.length + record.length);
  out.set(prefix, 0);
  out.set(record, prefix.length);
  return out;
}

/** The prefix of one service's range in byService. */
export function servicePrefix(service: string): Uint8Array {
  return lengthPrefixed(service);
}

/** Lowest and highest keys under `prefix` for times in [low, high]. */
export function bounds(prefix: Uint8Array, low: bigint, high: bigint): { low: Uint8Array; high: Uint8Array } {
  return {
    low: indexKey(prefix, recordKey(low, new Uint8Array(8))),
    high: indexKey(prefix, recordKey(high, new Uint8Array(8).fill(0xff))),
  };
}
