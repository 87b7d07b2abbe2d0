/**
 * Counts over the last `windowMs`, in `buckets` equal slices that age out one by one (go-zero's
 * collection.RollingWindow): a burst of failures stops weighing on the breaker a window later,
 * without keeping one entry per call.
 */

/** One slice of the window. */
interface Bucket {
  /** Calls that succeeded (or failed in a way that says nothing about the server's health). */
  accepts: number;
  /** Every call counted, accepted, failed or dropped. */
  total: number;
}

/** Sums over the whole window. */
export interface WindowTotals {
  accepts: number;
  total: number;
}

export class RollingWindow {
  private readonly slots: Bucket[];
  private readonly bucketMs: number;
  /** Index of the bucket `lastTime` falls in, and that bucket's start time. */
  private current = 0;
  private currentStart: number;

  constructor(
    windowMs: number,
    buckets: number,
    private readonly now: () => number,
  ) {
    this.slots = Array.from({ length: buckets }, () => ({ accepts: 0, total: 0 }));
    this.bucketMs = windowMs / buckets;
    this.currentStart = now();
  }

  /** Adds one call to the current bucket. */
  add(accepted: boolean): void {
    const bucket = this.advance();
    bucket.total++;
    if (accepted) bucket.accepts++;
  }

  /** Totals of the buckets still inside the window. */
  totals(): WindowTotals {
    this.advance();
    let accepts = 0;
    let total = 0;
    for (const slot of this.slots) {
      accepts += slot.accepts;
      total += slot.total;
    }
    return { accepts, total };
  }

  /** Moves to the bucket of `now()`, emptying every bucket skipped on the way. */
  private advance(): Bucket {
    const elapsed = Math.floor((this.now() - this.currentStart) / this.bucketMs);
    if (elapsed > 0) {
      const steps = Math.min(elapsed, this.slots.length);
      for (let i = 1; i <= steps; i++) {
        const slot = this.slots[(this.current + i) % this.slots.length]!;
        slot.accepts = 0;
        slot.total = 0;
      }
      this.current = (this.current + elapsed) % this.slots.length;
      this.currentStart += elapsed * this.bucketMs;
    }
    return this.slots[this.current]!;
  }
}
