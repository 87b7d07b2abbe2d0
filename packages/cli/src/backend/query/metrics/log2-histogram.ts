/**
 * Tempo's power-of-two histograms, which histogram_over_time returns and quantile_over_time reads:
 * a value goes into the bucket of the next power of two, and a quantile is interpolated
 * exponentially inside the bucket it falls in. So quantiles are approximate, exactly as Tempo's.
 */

export interface HistogramBucket {
  /** The bucket's upper bound. */
  max: number;
  count: number;
}

/** The power of two at or above `v` (for v ≥ 2); -1 below 2, as Tempo's Log2Bucketize. */
export function log2Bucket(v: number): number {
  if (!(v >= 2)) return -1;
  let b = 2 ** Math.ceil(Math.log2(v));
  // Math.log2 may round across a power of two; settle on the exact one.
  if (b / 2 >= v) b /= 2;
  else if (b < v) b *= 2;
  return b;
}

/** The `p` quantile of buckets sorted by `max`; 0 when there are none (Tempo's Log2Quantile). */
export function log2Quantile(p: number, buckets: HistogramBucket[]): number {
  if (Number.isNaN(p) || p < 0 || p > 1 || buckets.length === 0) return 0;
  const total = buckets.reduce((n, b) => n + b.count, 0);
  if (total === 0) return 0;
  const maxSamples = Math.max(1, Math.ceil(p * total));
  let seen = 0;
  let bucket = 0;
  for (let i = 0; i < buckets.length; i++) {
    bucket = i;
    const b = buckets[i]!;
    if (seen + b.count > maxSamples) break;
    seen += b.count;
    if (seen === maxSamples) return b.max;
  }
  const interp = (maxSamples - seen) / buckets[bucket]!.count;
  const maxV = Math.log2(buckets[bucket]!.max);
  const minV = bucket > 0 ? Math.log2(buckets[bucket - 1]!.max) : maxV - 1;
  return 2 ** (minV + (maxV - minV) * interp);
}
