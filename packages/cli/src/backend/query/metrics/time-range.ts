/**
 * Time handling of metrics queries, as Tempo's query frontend does it: the default step, the
 * alignment of a range to its step (plus one extra leading interval), and the mapping of a span's
 * start time to an interval. Intervals are right-closed: (start, start+step], (start+step,
 * start+2·step], ... and each sample is stamped with its interval's end.
 */

const SECOND = 1_000_000_000n;
const MINUTE = 60n * SECOND;

/** A range query's timing, in unix nanoseconds. */
export interface RangeTiming {
  startUnixNano: bigint;
  endUnixNano: bigint;
  stepNanos: bigint;
  /** One interval covering the whole range (`/api/metrics/query`). */
  instant: boolean;
}

/**
 * Tempo's default step: about 240 points, rounded down to 1h, 5m, 1m, 15s, 5s or 1s (50ms
 * granularity for ranges under a minute).
 */
export function defaultStep(startUnixNano: bigint, endUnixNano: bigint): bigint {
  const delta = endUnixNano - startUnixNano;
  const baseline = delta / 240n;
  if (delta < MINUTE) {
    const g = 50_000_000n;
    return baseline > g ? (baseline / g) * g : g;
  }
  for (const g of [3600n * SECOND, 5n * MINUTE, MINUTE, 15n * SECOND, 5n * SECOND, SECOND]) {
    if (baseline > g) return (baseline / g) * g;
  }
  return SECOND;
}

/**
 * Aligns a range to its step so refreshes of "the last hour" give the same buckets: start down
 * to a step boundary and one step earlier, end up to a boundary; then an end in the future is
 * pulled back to the last boundary before `now`. Instant queries keep their exact bounds.
 */
export function alignTiming(t: RangeTiming, nowUnixNano: bigint): RangeTiming {
  if (t.instant) {
    const end = t.endUnixNano > nowUnixNano ? nowUnixNano : t.endUnixNano;
    return { ...t, endUnixNano: end, stepNanos: end - t.startUnixNano };
  }
  const step = t.stepNanos;
  let start = t.startUnixNano - (t.startUnixNano % step);
  let end = t.endUnixNano % step === 0n ? t.endUnixNano : t.endUnixNano + (step - (t.endUnixNano % step));
  if (start > step) start -= step;
  if (end > nowUnixNano) end = nowUnixNano - (nowUnixNano % step);
  if (end <= start) end = start + step;
  return { ...t, startUnixNano: start, endUnixNano: end };
}

/** Maps span start times to intervals of an aligned timing. */
export class IntervalMapper {
  readonly count: number;
  private readonly start: bigint;
  private readonly end: bigint;
  private readonly step: bigint;
  // Offsets from start as doubles: exact below 2^53 ns (104 days), and one BigInt operation a span.
  private readonly length: number;
  private readonly stepNumber: number;

  constructor(readonly timing: RangeTiming) {
    this.start = timing.startUnixNano;
    this.end = timing.endUnixNano;
    this.step = timing.instant ? timing.endUnixNano - timing.startUnixNano : timing.stepNanos;
    this.count = timing.instant ? 1 : Number((this.end - this.start) / this.step);
    this.length = Number(this.end - this.start);
    this.stepNumber = Number(this.step);
  }

  /** The interval holding `ts`, or -1 when outside the range. */
  interval(ts: bigint): number {
    const offset = Number(ts - this.start);
    if (this.timing.instant) return offset >= 0 && offset <= this.length && this.length !== 0 ? 0 : -1;
    if (offset <= 0 || offset > this.length) return -1;
    // Right-closed: a time exactly on a boundary belongs to the interval that ends there.
    return Math.ceil(offset / this.stepNumber) - 1;
  }

  /** The timestamp (unix ms) a sample of interval `i` carries: the interval's end. */
  timestampMs(i: number): number {
    const ns = this.timing.instant ? this.end : this.start + BigInt(i + 1) * this.step;
    return Number(ns / 1_000_000n);
  }

  /** Seconds an interval lasts, for rate(). */
  get intervalSeconds(): number {
    return Number(this.step) / 1e9;
  }
}
