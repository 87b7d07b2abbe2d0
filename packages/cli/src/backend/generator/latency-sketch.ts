/**
 * A latency distribution in logarithmic buckets (DDSketch's idea, written here): each value lands
 * in bucket ceil(log_γ v), so any quantile read back is within 1% of a true value, whatever the
 * range, and sketches of different minutes merge by adding counts. Tempo's fixed Prometheus
 * buckets (0.1 s · 2^n) cannot tell a 9 ms call from a 60 ms one; this can.
 */

/** Relative accuracy of a quantile: 1%. */
export const SKETCH_RELATIVE_ERROR = 0.01;
const GAMMA = (1 + SKETCH_RELATIVE_ERROR) / (1 - SKETCH_RELATIVE_ERROR);
const LOG_GAMMA = Math.log(GAMMA);
/** Values below this (1 ns in seconds) count as zero. */
const MIN_VALUE = 1e-9;

export class LatencySketch {
  /** Bucket index → count. */
  private readonly buckets = new Map<number, number>();
  private zeros = 0;
  count = 0;
  sum = 0;

  /** Adds one value (seconds). */
  add(value: number): void {
    this.count++;
    this.sum += value;
    if (!(value > MIN_VALUE)) {
      this.zeros++;
      return;
    }
    const i = Math.ceil(Math.log(value) / LOG_GAMMA);
    this.buckets.set(i, (this.buckets.get(i) ?? 0) + 1);
  }

  /** Adds another sketch's values into this one. */
  merge(other: LatencySketch): void {
    this.count += other.count;
    this.sum += other.sum;
    this.zeros += other.zeros;
    for (const [i, n] of other.buckets) this.buckets.set(i, (this.buckets.get(i) ?? 0) + n);
  }

  /** The q-quantile (0..1) in seconds, nearest rank; NaN when empty. */
  quantile(q: number): number {
    if (this.count === 0) return Number.NaN;
    const rank = Math.max(1, Math.ceil(q * this.count));
    let seen = this.zeros;
    if (seen >= rank) return 0;
    for (const i of [...this.buckets.keys()].sort((a, b) => a - b)) {
      seen += this.buckets.get(i)!;
      // The bucket (γ^(i-1), γ^i] answers with the value whose relative error to both ends is equal.
      if (seen >= rank) return (2 * GAMMA ** i) / (GAMMA + 1);
    }
    return Number.NaN;
  }
}
