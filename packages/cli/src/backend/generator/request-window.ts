/**
 * Requests per series in time buckets, so that a question about "the last 15 minutes" or any
 * chosen range has an answer: `/metrics`' counters only ever grow, and a rate over a range needs
 * what was counted inside it. Each bucket holds, per series, the requests, the failed ones and a
 * latency sketch; buckets older than the retention are dropped as new ones open.
 */
import { LatencySketch } from './latency-sketch.ts';

/** One series' requests over some time. */
export class RequestCell {
  requests = 0;
  failed = 0;
  readonly latency = new LatencySketch();

  add(failed: boolean, latencySec: number): void {
    this.requests++;
    if (failed) this.failed++;
    this.latency.add(latencySec);
  }

  merge(other: RequestCell): void {
    this.requests += other.requests;
    this.failed += other.failed;
    this.latency.merge(other.latency);
  }
}

interface Bucket<K> {
  startMs: number;
  cells: Map<K, RequestCell>;
}

export interface RequestWindowOptions {
  /** Bucket width (default 10 s). */
  stepMs: number;
  /** How far back buckets are kept (default 24 h). */
  retentionMs: number;
  now: () => number;
}

export const DEFAULT_WINDOW_STEP_MS = 10_000;
export const DEFAULT_WINDOW_RETENTION_MS = 24 * 3600_000;

/**
 * Series keyed by `K` (a label string, or a kept label object: a Map looks either up without
 * hashing the labels again), counted into the bucket of the moment they are recorded.
 */
export class RequestWindow<K> {
  /** Oldest first; only buckets that saw a request exist. */
  private readonly buckets: Bucket<K>[] = [];

  constructor(private readonly options: RequestWindowOptions) {}

  get stepMs(): number {
    return this.options.stepMs;
  }

  /** Counts one request of series `key` now. */
  add(key: K, failed: boolean, latencySec: number): void {
    const now = this.options.now();
    const startMs = now - (now % this.options.stepMs);
    let last = this.buckets[this.buckets.length - 1];
    // A clock that went back counts into the newest bucket rather than reorder them.
    if (!last || last.startMs < startMs) {
      this.buckets.push((last = { startMs, cells: new Map() }));
      this.dropOlderThan(now - this.options.retentionMs);
    }
    let cell = last.cells.get(key);
    if (!cell) last.cells.set(key, (cell = new RequestCell()));
    cell.add(failed, latencySec);
  }

  /**
   * Every series' requests in the buckets that overlap [startMs, endMs): the range is widened to
   * whole buckets, and the widened range is returned so a rate divides by the time it counted.
   */
  sum(startMs: number, endMs: number): { cells: Map<K, RequestCell>; fromMs: number; toMs: number } {
    const step = this.options.stepMs;
    const fromMs = startMs - (((startMs % step) + step) % step);
    const toMs = Math.ceil(endMs / step) * step;
    const cells = new Map<K, RequestCell>();
    for (const b of this.buckets) {
      if (b.startMs < fromMs || b.startMs >= toMs) continue;
      for (const [key, cell] of b.cells) {
        let total = cells.get(key);
        if (!total) cells.set(key, (total = new RequestCell()));
        total.merge(cell);
      }
    }
    return { cells, fromMs, toMs };
  }

  private dropOlderThan(ms: number): void {
    let n = 0;
    while (n < this.buckets.length && this.buckets[n].startMs + this.options.stepMs <= ms) n++;
    if (n) this.buckets.splice(0, n);
  }
}
