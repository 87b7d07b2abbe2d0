/** int64 and fixed64 values: Longs from protobufjs, numbers or strings from hand-built and JSON paths. */
import type { LongLike } from './types.ts';

/**
 * A 64-bit value as a bigint; 0n when absent. A {low, high} pair is signed unless it says it is
 * unsigned (protobufjs' Longs always say: fixed64 times are unsigned, int64 values signed).
 */
export function longToBigInt(value: LongLike | null | undefined): bigint {
  if (value === null || value === undefined) return 0n;
  if (typeof value === 'bigint') return value;
  if (typeof value === 'number') return BigInt(Math.trunc(value));
  if (typeof value === 'string') return value === '' ? 0n : BigInt(value);
  const bits = (BigInt(value.high >>> 0) << 32n) | BigInt(value.low >>> 0);
  return value.unsigned ? bits : BigInt.asIntN(64, bits);
}

/** A bigint as a plain number when exact, else kept as bigint (the query model's int64 rule). */
export function toSafeNumber(value: bigint): number | bigint {
  return value >= BigInt(Number.MIN_SAFE_INTEGER) && value <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(value) : value;
}
