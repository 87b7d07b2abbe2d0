/**
 * Newest-first candidate traces for a fetch: reverse scans over the start-time index, or over the
 * service / span-name index of each hinted value merged by start time. Keys are read a page at a
 * time, so no lmdb cursor or read transaction stays open while the consumer works between traces.
 */
import type { FetchRequest } from '../../query/storage.ts';
import type { BinaryDb, Tables } from './lmdb-tables.ts';
import { MAX_U64, OVERFLOW_NAME, indexBounds, valuePrefix } from './keys.ts';

const PAGE = 128;

class IndexCursor {
  private page: Uint8Array[] = [];
  private at = 0;
  private resume: Uint8Array | undefined;
  private exhausted = false;

  constructor(
    private readonly db: BinaryDb,
    private readonly low: Uint8Array,
    private readonly high: Uint8Array,
  ) {}

  peek(): Uint8Array | undefined {
    if (this.at >= this.page.length && !this.exhausted) this.fill();
    return this.page[this.at];
  }

  shift(): void {
    this.at++;
  }

  private fill(): void {
    // Reverse scans start inclusive at `start` and stop before `end`; `low` is below every real key.
    this.page = Array.from(
      this.db.getKeys({
        start: this.resume ?? this.high,
        end: this.low,
        reverse: true,
        limit: PAGE,
        exclusiveStart: this.resume !== undefined,
      }),
    );
    this.at = 0;
    this.resume = this.page[this.page.length - 1];
    if (this.page.length < PAGE) this.exhausted = true;
  }
}

/**
 * Trace ids (16 bytes) whose index entries fall in the hinted window, newest start first. A trace
 * can come twice when a push moves its start during the scan; callers de-duplicate.
 */
export function* candidateTraceIds(t: Tables, req: FetchRequest, maxTraceDurationNanos: number): Generator<Uint8Array> {
  const high = req.endUnixNano ?? MAX_U64;
  // A trace overlapping [start, end] started at most the longest trace duration before `start`.
  const low =
    req.startUnixNano === undefined ? 0n : maxBig(0n, req.startUnixNano - BigInt(Math.ceil(maxTraceDurationNanos)));
  if (high < low) return;
  const sources: [BinaryDb, string | undefined][] = req.serviceNames?.length
    ? req.serviceNames.map((n) => [t.byService, n])
    : req.spanNames?.length
      ? [...req.spanNames, OVERFLOW_NAME].map((n) => [t.byName, n])
      : [[t.byStart, undefined]];
  const cursors = sources.map(([db, value]) => {
    const bounds = indexBounds(value === undefined ? new Uint8Array(0) : valuePrefix(value), low, high);
    return new IndexCursor(db, bounds.low, bounds.high);
  });
  for (;;) {
    let best: IndexCursor | undefined;
    let bestKey: Uint8Array | undefined;
    for (const cursor of cursors) {
      const key = cursor.peek();
      if (key && (!bestKey || compareTail(key, bestKey) > 0)) {
        best = cursor;
        bestKey = key;
      }
    }
    if (!best || !bestKey) return;
    best.shift();
    yield bestKey.subarray(bestKey.length - 16);
  }
}

/** Compares the (time, trace id) tails of two index keys. */
function compareTail(a: Uint8Array, b: Uint8Array): number {
  return Buffer.compare(a.subarray(a.length - 24), b.subarray(b.length - 24));
}

function maxBig(a: bigint, b: bigint): bigint {
  return a > b ? a : b;
}
