/** Id and number conversions shared by the store's layers. */
import { StoreError } from '../errors.ts';
import type { LongLike } from '../types.ts';

const TWO_32 = 4294967296n;

/** Lower-case hex of bytes. */
export function toHex(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('hex');
}

/** True when every byte is zero (OTLP's "invalid id"). */
export function isAllZero(bytes: Uint8Array): boolean {
  for (let i = 0; i < bytes.length; i++) if (bytes[i] !== 0) return false;
  return true;
}

/**
 * A trace id from hex as the API receives it: 1-32 hex digits, left-padded with zeros to 16
 * bytes (Tempo accepts shortened ids the same way).
 */
export function parseTraceIdHex(hex: string): Uint8Array {
  if (!/^[0-9a-fA-F]{1,32}$/.test(hex)) {
    throw new StoreError('STORE_ERR_INVALID_TRACE_ID', `trace id must be 1-32 hex digits, got ${JSON.stringify(hex)}`);
  }
  return new Uint8Array(Buffer.from(hex.toLowerCase().padStart(32, '0'), 'hex'));
}

/** An int64/fixed64 value as bigint (protobufjs gives Long objects, JSON paths numbers or strings). */
export function toBigInt(value: LongLike | null | undefined, unsigned = true): bigint {
  if (value === null || value === undefined) return 0n;
  if (typeof value === 'bigint') return value;
  if (typeof value === 'number') return BigInt(Math.trunc(value));
  if (typeof value === 'string') return value === '' ? 0n : BigInt(value);
  const low = BigInt(value.low >>> 0);
  const high = BigInt(value.high >>> 0);
  const n = high * TWO_32 + low;
  // A signed Long with the top bit set is negative.
  if (!(value.unsigned ?? unsigned) && value.high < 0) return n - (1n << 64n);
  return n;
}

/** A bigint as a plain number when exact, else kept as bigint (the model's int64 rule). */
export function toSafeNumber(value: bigint): number | bigint {
  return value >= BigInt(Number.MIN_SAFE_INTEGER) && value <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(value) : value;
}
