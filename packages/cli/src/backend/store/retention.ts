/** Retention defaults and their resolution, shared by both stores. */
import type { RetentionOptions } from './types.ts';

/** Traces are kept 7 days by default (Tempo's default block retention is 14; laptops are smaller). */
export const DEFAULT_MAX_AGE_MS = 7 * 24 * 60 * 60 * 1000;
/** The background sweep runs once a minute by default. */
export const DEFAULT_SWEEP_INTERVAL_MS = 60_000;

/** Retention with every default filled in. */
export interface ResolvedRetention {
  maxAgeMs: number;
  maxBytes: number | undefined;
  sweepIntervalMs: number;
}

/** Fills in defaults; negative or non-finite values fall back to them. */
export function resolveRetention(options: RetentionOptions = {}): ResolvedRetention {
  const valid = (n: number | undefined): n is number => n !== undefined && Number.isFinite(n) && n >= 0;
  return {
    maxAgeMs: valid(options.maxAgeMs) ? options.maxAgeMs : DEFAULT_MAX_AGE_MS,
    maxBytes: valid(options.maxBytes) ? options.maxBytes : undefined,
    sweepIntervalMs: valid(options.sweepIntervalMs) ? options.sweepIntervalMs : DEFAULT_SWEEP_INTERVAL_MS,
  };
}

/** Traces that ended before this (unix nanos) are expired. */
export function expiryCutoff(nowUnixNano: bigint, maxAgeMs: number): bigint {
  return nowUnixNano - BigInt(Math.floor(maxAgeMs)) * 1_000_000n;
}

/** Now in unix nanoseconds (millisecond precision is plenty for retention). */
export function nowUnixNano(): bigint {
  return BigInt(Date.now()) * 1_000_000n;
}
