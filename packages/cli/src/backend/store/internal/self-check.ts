/**
 * The store's check of itself on open. lmdb's copy-on-write commits cannot leave a torn page,
 * so what a crash can break is only our own bookkeeping: the counters must agree with the
 * tables they count. They are written in the same transaction as the data, so a mismatch means a
 * bug or a foreign write; it is repaired from the per-trace summaries rather than trusted.
 */
import type { Counters, Tables } from './lmdb-tables.ts';
import { decodeSummary, durationOf } from './summary.ts';

/** What the check found. */
export interface SelfCheckResult {
  counters: Counters;
  /** Set when the stored counters disagreed and were rebuilt; says what differed. */
  repaired?: string;
}

function entryCount(db: { getStats(): unknown }): number {
  return (db.getStats() as { entryCount?: number }).entryCount ?? 0;
}

/** Compares `counters` with the tables' entry counts; rebuilds and persists them on a mismatch. */
export function selfCheck(t: Tables, counters: Counters, options: { persist?: boolean } = {}): SelfCheckResult {
  const traces = entryCount(t.traces);
  const spans = entryCount(t.spans);
  if (traces === counters.traces && spans === counters.spans) return { counters };
  const rebuilt: Counters = { traces: 0, spans, bytes: 0, maxTraceDurationNanos: 0 };
  for (const { value } of t.traces.getRange()) {
    const s = decodeSummary(value);
    rebuilt.traces++;
    rebuilt.bytes += s.bytes;
    rebuilt.maxTraceDurationNanos = Math.max(rebuilt.maxTraceDurationNanos, durationOf(s));
  }
  // After a failed commit the disk may be full: the next commit writes the counters anyway.
  if (options.persist !== false) t.meta.putSync('counters', { ...rebuilt });
  return {
    counters: rebuilt,
    repaired: `counters said ${counters.traces} traces / ${counters.spans} spans, tables hold ${traces} / ${spans}`,
  };
}
