/**
 * Requests per series in time buckets, so that a question about "the last 15 minutes" or any
 * chosen range has an answer: `/metrics`' counters only ever grow, and a rate over a range needs
 * what was counted inside it. Each bucket holds, per series, the requests, the failed ones and a
 * latency sketch. The last hour keeps 10 s buckets; older ones are merged into 5-minute buckets
 * (so a day costs about 650 buckets, not 8,640), and those past the retention are dropped.
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
  stepMs: number;
  cells: Map<K, RequestCell>;
}

export interface RequestWindowOptions {
  /** Width of recent buckets (default 10 s). */
  stepMs: number;
  /** How far back buckets are kept (default 24 h). */
  retentionMs: number;
  /** Buckets older than this are merged into `coarseStepMs` ones (default 1 h). */
  fineMs?: number;
  /** Width of the merged buckets (default 5 min; a multiple of stepMs). */
  coarseStepMs?: number;
  now: () => number;
}

export const DEFAULT_WINDOW_STEP_MS = 10_000;
export const DEFAULT_WINDOW_RETENTION_MS = 24 * 3600_000;
export const DEFAULT_WINDOW_FINE_MS = 3600_000;
export const DEFAULT_WINDOW_COARSE_STEP_MS = 300_000;

/**
 * Series keyed by `K` (a label string, or a kept label object: a Map looks either up without
 * hashing the labels again), counted into the bucket of the moment they are recorded.
 */
export class RequestWindow<K> {
  /** Oldest first; only buckets that saw a request exist. */
  private buckets: Bucket<K>[] = [];
  private readonly fineMs: number;
  private readonly coarseStepMs: number;

  constructor(private readonly options: RequestWindowOptions) {
    this.fineMs = options.fineMs ?? DEFAULT_WINDOW_FINE_MS;
    this.coarseStepMs = options.coarseStepMs ?? DEFAULT_WINDOW_COARSE_STEP_MS;
    if (this.coarseStepMs % options.stepMs !== 0) throw new RangeError(`request window: coarseStepMs (${this.coarseStepMs}) must be a multiple of stepMs (${options.stepMs})`);
  }

  get stepMs(): number {
    return this.options.stepMs;
  }

  /** Buckets held (for tests and status). */
  get bucketCount(): number {
    return this.buckets.length;
  }

  /** Counts one request of series `key` now. */
  add(key: K, failed: boolean, latencySec: number): void {
    const now = this.options.now();
    const startMs = now - (now % this.options.stepMs);
    let last = this.buckets[this.buckets.length - 1];
    // A clock that went back counts into the newest bucket rather than reorder them.
    if (!last || last.startMs < startMs) {
      this.buckets.push((last = { startMs, stepMs: this.options.stepMs, cells: new Map() }));
      this.compact(now);
    }
    let cell = last.cells.get(key);
    if (!cell) last.cells.set(key, (cell = new RequestCell()));
    cell.add(failed, latencySec);
  }

  /**
   * Every series' requests in the buckets that overlap [startMs, endMs): the range is widened to
   * whole buckets (10 s within the last hour, 5 minutes before), and the fine-step widened range is
   * returned.
   */
  sum(startMs: number, endMs: number): { cells: Map<K, RequestCell>; fromMs: number; toMs: number } {
    const step = this.options.stepMs;
    const fromMs = startMs - (((startMs % step) + step) % step);
    const toMs = Math.ceil(endMs / step) * step;
    const cells = new Map<K, RequestCell>();
    for (const b of this.buckets) {
      if (b.startMs + b.stepMs <= fromMs || b.startMs >= toMs) continue;
      for (const [key, cell] of b.cells) {
        let total = cells.get(key);
        if (!total) cells.set(key, (total = new RequestCell()));
        total.merge(cell);
      }
    }
    return { cells, fromMs, toMs };
  }

  /** Drops buckets past the retention and merges fine ones older than `fineMs` into coarse ones. */
  private compact(now: number): void {
    const dropBefore = now - this.options.retentionMs;
    const fineFrom = now - this.fineMs;
    const kept: Bucket<K>[] = [];
    for (const b of this.buckets) {
      if (b.startMs + b.stepMs <= dropBefore) continue;
      if (b.stepMs === this.coarseStepMs || b.startMs + b.stepMs > fineFrom) {
        kept.push(b);
        continue;
      }
      const startMs = b.startMs - (b.startMs % this.coarseStepMs);
      let into = kept[kept.length - 1];
      if (!into || into.startMs !== startMs || into.stepMs !== this.coarseStepMs) kept.push((into = { startMs, stepMs: this.coarseStepMs, cells: new Map() }));
      for (const [key, cell] of b.cells) {
        let total = into.cells.get(key);
        if (!total) into.cells.set(key, (total = new RequestCell()));
        total.merge(cell);
      }
    }
    this.buckets = kept;
  }
}
