/**
 * Group commit for the lmdb store's pushes. Every lmdb commit has a fixed price whatever it
 * carries: a writer-thread job started from the event loop, copy-on-write pages of every table it
 * touches (a span, a summary and four index entries touch eight B-trees) and an fsync. An export
 * of one or two spans, as a service exporting as it goes sends, paid all of it alone.
 *
 * So pushes are committed in groups:
 * - a group is cut when no commit is running and either its oldest push has waited `lingerMs`
 *   or it holds `fullSpans` spans (a full export is worth a commit of its own without waiting);
 * - the linger applies only while pushes overlap (the last group held several, or a push came
 *   while the last commit ran): a client that sends one export at a time and waits for each
 *   answer (`zeroscope import`, a lone service) has no one to wait for, and is committed at once;
 * - pushes that arrive while a commit runs join the next group, which is cut once that commit
 *   settles (at saturation there is always one, so there the linger never applies), or at once
 *   when it is full and writes none of the running commit's traces, so that at saturation the
 *   next transaction is prepared while lmdb's thread writes this one;
 * - "at once" is the end of the event turn, so the pushes of one turn share a commit;
 * - a group is written as one batch (the traces that several of its pushes share merged first,
 *   so each is looked up, summarised and indexed once) and every push in it is answered when that
 *   one commit is durable, or fails with it.
 */
import { mergeBatches, type PreparedBatch } from './prepare.ts';

/**
 * How long the first push of a group waits for others to share its commit, while pushes overlap.
 * A commit's fixed price dwarfs a small export's own: measured under the demo's traffic (two
 * exports of 1 and 2 spans a trace, 150 traces/s), the backend spent 0.4–1 ms of CPU per commit
 * beside ~0.3 ms a request, so the commit rate sets the cost per span. A linger of L ms bounds
 * it to 1000 / L commits a second whatever the export rate: 5 ms gave ~410 µs of backend CPU a
 * span there, 10 ms ~390, 20 ms ~330, 40 ms ~285 (the same run). 20 ms keeps most of the gain for
 * an acknowledgement ~10 ms later (p50 ~15 ms), which an exporter sending in the background does
 * not wait on; it also lets both parts of more traces share one group (merged, indexed once).
 * Clients that each await their answer before sending again (an SDK exporter sends one batch at a
 * time) answer the longer wait with bigger batches; a client with a fixed small batch and a
 * second client in parallel is slowed to one round per linger.
 */
export const DEFAULT_LINGER_MS = 20;
/** A group this large is committed without lingering (the OTel SDK's default export size). */
export const DEFAULT_FULL_SPANS = 512;

interface Waiter {
  resolve(): void;
  reject(err: unknown): void;
}

export interface CommitGroupOptions {
  lingerMs?: number;
  fullSpans?: number;
}

export class CommitGroups {
  private batches: PreparedBatch[] = [];
  private waiters: Waiter[] = [];
  private spans = 0;
  /** When the oldest push of the waiting group arrived (performance.now()). */
  private oldest = 0;
  private timer: NodeJS.Timeout | undefined;
  private immediate: NodeJS.Immediate | undefined;
  /** Commits queued and not yet settled, with the traces each writes. */
  private readonly running = new Set<Set<string>>();
  /** Pushes overlap: the last group held several, or a push arrived while the last commit ran. */
  private overlapping = false;
  private arrivedWhileRunning = false;
  private readonly lingerMs: number;
  private readonly fullSpans: number;

  /**
   * `commit` writes one (merged) batch and resolves once it is durable; it is never called with
   * a trace that an unsettled call writes.
   */
  constructor(
    private readonly commit: (batch: PreparedBatch) => Promise<void>,
    options: CommitGroupOptions = {},
  ) {
    this.lingerMs = options.lingerMs ?? DEFAULT_LINGER_MS;
    if (!Number.isFinite(this.lingerMs) || this.lingerMs < 0) throw new RangeError(`commitLingerMs must be a finite number of milliseconds ≥ 0, got ${options.lingerMs}`);
    this.fullSpans = options.fullSpans ?? DEFAULT_FULL_SPANS;
  }

  /** Queues `batch` for the next group; resolves when the group's commit is durable. */
  add(batch: PreparedBatch): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      if (this.batches.length === 0) this.oldest = performance.now();
      this.batches.push(batch);
      this.waiters.push({ resolve, reject });
      this.spans += batch.spanCount;
      if (this.running.size > 0) this.arrivedWhileRunning = true;
      this.schedule();
    });
  }

  /** Cuts the waiting group at the end of this turn, or arms the timer for when it may be cut. */
  private schedule(): void {
    if (this.batches.length === 0) return;
    if (this.running.size > 0) {
      // A full group need not wait for the running commit unless it writes one of its traces:
      // at saturation the next transaction is prepared while lmdb's thread writes this one.
      if (this.spans >= this.fullSpans && !this.sharesRunningTrace()) this.cutAtEndOfTurn();
      return;
    }
    const linger = this.overlapping && this.spans < this.fullSpans;
    const wait = linger ? this.oldest + this.lingerMs - performance.now() : 0;
    if (wait <= 0) {
      this.cutAtEndOfTurn();
      return;
    }
    this.timer ??= setTimeout(() => {
      this.timer = undefined;
      this.schedule();
    }, wait);
  }

  private cutAtEndOfTurn(): void {
    this.immediate ??= setImmediate(() => {
      this.immediate = undefined;
      if (this.batches.length === 0) return;
      if (this.running.size === 0 || (this.spans >= this.fullSpans && !this.sharesRunningTrace())) this.cut();
    });
  }

  /** True when a waiting push writes a trace that a running commit writes. */
  private sharesRunningTrace(): boolean {
    for (const traces of this.running) {
      for (const batch of this.batches) for (const trace of batch.traces) if (traces.has(trace.traceHex)) return true;
    }
    return false;
  }

  private cut(): void {
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = undefined;
    }
    if (this.immediate) {
      clearImmediate(this.immediate);
      this.immediate = undefined;
    }
    const batches = this.batches;
    const waiters = this.waiters;
    this.overlapping = batches.length > 1 || this.arrivedWhileRunning;
    this.arrivedWhileRunning = false;
    this.batches = [];
    this.waiters = [];
    this.spans = 0;
    const batch = batches.length === 1 ? batches[0] : mergeBatches(batches);
    const traces = new Set(batch.traces.map((trace) => trace.traceHex));
    this.running.add(traces);
    let done: Promise<void>;
    try {
      done = this.commit(batch);
    } catch (err) {
      done = Promise.reject(err);
    }
    // The commit leaves `running` before its pushes are answered: a client that sends its next
    // export as soon as it has the answer must find no commit running, or it would be counted as
    // overlapping and linger (an importer awaiting each push would wait `lingerMs` every time).
    const settle = (answer: (w: Waiter) => void): void => {
      this.running.delete(traces);
      for (const w of waiters) answer(w);
      this.schedule();
    };
    done.then(
      () => settle((w) => w.resolve()),
      (err: unknown) => settle((w) => w.reject(err)),
    );
  }
}
