/**
 * The store's writes. The store calls writeBatch inside lmdb-js's `batch()`: its puts are queued
 * and executed on lmdb's writer thread in one transaction, and its reads see committed data only,
 * so the caller keeps two writes of one trace from overlapping (see commit-groups.ts). Inside a transaction callback the same calls run synchronously in that
 * transaction (the sweep's deleteTrace; the tests' reference for writeBatch).
 */
import type { Counters, Tables, BinaryDb } from './lmdb-tables.ts';
import { EMPTY } from './lmdb-tables.ts';
import { OVERFLOW_NAME, indexKey, spanRange, timeKey, valuePrefix } from './keys.ts';
import type { PreparedBatch, PreparedSpan } from './prepare.ts';
import { decodeSummary, durationOf, encodeSummary, mergeSummary, type SummaryRecord } from './summary.ts';

/** Stores a prepared request: new spans only (duplicates are skipped), summaries, indexes, counters. */
export function writeBatch(t: Tables, counters: Counters, batch: PreparedBatch): void {
  for (const blob of batch.blobs) if (!t.blobs.doesExist(blob.ref)) t.blobs.put(blob.ref, blob.bytes);
  for (const tag of batch.newTags) t.tags.put(tag, EMPTY);
  for (const trace of batch.traces) {
    const stored = t.traces.get(trace.traceId);
    const prev = stored ? decodeSummary(stored) : undefined;
    // A trace with no summary has no stored span, so only repeats within the request can be
    // duplicates; a known trace also asks lmdb per span (the puts below come after every check).
    const unique = uniqueSpans(trace.spans);
    const fresh = prev ? unique.filter((span) => !t.spans.doesExist(span.key)) : unique;
    for (const span of fresh) t.spans.put(span.key, span.value);
    if (fresh.length === 0) continue;
    const next = mergeSummary(prev, fresh);
    reindex(t, trace.traceId, prev, next);
    t.traces.put(trace.traceId, encodeSummary(next));
    if (!prev) counters.traces++;
    counters.spans += fresh.length;
    counters.bytes += next.bytes - (prev?.bytes ?? 0);
    counters.maxTraceDurationNanos = Math.max(counters.maxTraceDurationNanos, durationOf(next));
  }
  t.meta.put('counters', { ...counters });
}

/** The spans minus later repeats of a span id (keys are trace id + span id). */
function uniqueSpans(spans: PreparedSpan[]): PreparedSpan[] {
  if (spans.length < 2) return spans;
  // A trace's spans in one request are few: comparing ids pairwise allocates nothing.
  if (spans.length <= PAIRWISE_MAX) {
    let i = 1;
    while (i < spans.length && !repeatsEarlier(spans, i)) i++;
    if (i === spans.length) return spans;
  }
  const seen = new Set<string>();
  const out: PreparedSpan[] = [];
  for (const span of spans) {
    const id = Buffer.from(span.key.buffer, span.key.byteOffset + 16, 8).toString('latin1');
    if (seen.has(id)) continue;
    seen.add(id);
    out.push(span);
  }
  return out;
}

const PAIRWISE_MAX = 32;

/** True when span `i`'s id equals an earlier span's. */
function repeatsEarlier(spans: PreparedSpan[], i: number): boolean {
  const key = spans[i].key;
  for (let j = 0; j < i; j++) {
    const other = spans[j].key;
    let b = 16;
    while (b < 24 && key[b] === other[b]) b++;
    if (b === 24) return true;
  }
  return false;
}

/**
 * Deletes one trace with its spans and index entries; `keep` can veto on the current summary
 * (the sweep re-checks age inside the transaction). Returns the spans deleted, or -1 if none.
 */
export function deleteTrace(
  t: Tables,
  counters: Counters,
  traceId: Uint8Array,
  keep?: (s: SummaryRecord) => boolean,
): number {
  const stored = t.traces.get(traceId);
  if (!stored) return -1;
  const s = decodeSummary(stored);
  if (keep?.(s)) return -1;
  const range = spanRange(traceId);
  const keys = Array.from(t.spans.getKeys({ start: range.start, end: range.end, inclusiveEnd: true }));
  for (const key of keys) t.spans.remove(key);
  t.byStart.remove(timeKey(s.start, traceId));
  t.byEnd.remove(timeKey(s.end, traceId));
  for (const name of s.services.keys()) t.byService.remove(indexKey(valuePrefix(name), s.start, traceId));
  for (const name of nameValues(s)) t.byName.remove(indexKey(valuePrefix(name), s.start, traceId));
  t.traces.remove(traceId);
  counters.traces--;
  counters.spans -= keys.length;
  counters.bytes -= s.bytes;
  t.meta.put('counters', { ...counters });
  return keys.length;
}

/** Moves the trace's index entries when its start or end moved, and adds new services/names. */
function reindex(t: Tables, traceId: Uint8Array, prev: SummaryRecord | undefined, next: SummaryRecord): void {
  if (!prev || prev.start !== next.start) {
    if (prev) t.byStart.remove(timeKey(prev.start, traceId));
    t.byStart.put(timeKey(next.start, traceId), EMPTY);
  }
  if (!prev || prev.end !== next.end) {
    if (prev) t.byEnd.remove(timeKey(prev.end, traceId));
    t.byEnd.put(timeKey(next.end, traceId), EMPTY);
  }
  reindexValues(t.byService, traceId, prev && new Set(prev.services.keys()), next.services.keys(), prev?.start, next.start);
  reindexValues(t.byName, traceId, prev && new Set(nameValues(prev)), nameValues(next), prev?.start, next.start);
}

function reindexValues(
  db: BinaryDb,
  traceId: Uint8Array,
  before: Set<string> | undefined,
  after: Iterable<string>,
  oldStart: bigint | undefined,
  newStart: bigint,
): void {
  for (const value of after) {
    const known = before?.has(value) ?? false;
    if (known && oldStart === newStart) continue;
    const prefix = valuePrefix(value);
    if (known) db.remove(indexKey(prefix, oldStart!, traceId));
    db.put(indexKey(prefix, newStart, traceId), EMPTY);
  }
}

/** The span-name index values of a trace: its names, plus the overflow marker when it has too many. */
function nameValues(s: SummaryRecord): string[] {
  return s.namesOverflow ? [...s.names, OVERFLOW_NAME] : [...s.names];
}
