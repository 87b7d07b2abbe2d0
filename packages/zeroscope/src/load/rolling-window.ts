/**
 * A window of `buckets` time slots of `bucketMs` each, summing values and counting adds per slot
 * (go-zero's collection.RollingWindow with IgnoreCurrentBucket). Slots that time passed by are
 * reset lazily on the next add or read, so an idle window costs nothing.
 */
export class RollingWindow {
  private readonly sums: Float64Array;
  private readonly counts: Float64Array;
  /** The absolute slot number (`floor(now / bucketMs)`) each slot was last written for. */
  private readonly slots: Float64Array;

  constructor(
    private readonly buckets: number,
    private readonly bucketMs: number,
    private readonly now: () => number = () => performance.now(),
  ) {
    this.sums = new Float64Array(buckets);
    this.counts = new Float64Array(buckets);
    this.slots = new Float64Array(buckets).fill(-1);
  }

  /** Adds `value` to the current slot. */
  add(value: number): void {
    const slot = Math.floor(this.now() / this.bucketMs);
    const i = slot % this.buckets;
    if (this.slots[i] !== slot) {
      this.slots[i] = slot;
      this.sums[i] = 0;
      this.counts[i] = 0;
    }
    this.sums[i] += value;
    this.counts[i] += 1;
  }

  /**
   * Calls `fn(sum, count)` for every slot of the window except the current one (still filling,
   * it would understate throughput), skipping slots older than the window.
   */
  reduce(fn: (sum: number, count: number) => void): void {
    const current = Math.floor(this.now() / this.bucketMs);
    for (let i = 0; i < this.buckets; i++) {
      const slot = this.slots[i];
      if (slot < 0 || slot === current || current - slot >= this.buckets) continue;
      fn(this.sums[i], this.counts[i]);
    }
  }
}
