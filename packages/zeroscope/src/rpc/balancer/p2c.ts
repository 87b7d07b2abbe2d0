import type { Connection, PickResult, Picker } from './picker.ts';

/** Per-connection load as the picker sees it. */
interface Stats {
  /** Calls picked and not yet done. */
  inflight: number;
  /** Exponentially weighted moving average of call latency, ms (0 until the first call ends). */
  lagMs: number;
  /** When the last call on it ended (for the decay of the average). */
  lastDone: number;
  /** When it was last picked. */
  lastPick: number;
}

/** Options of {@link P2cPicker}; defaults are go-zero's. */
export interface P2cOptions {
  /** Time constant of the latency average, ms (default 10 000). */
  decayMs?: number;
  /** A connection not picked for this long is picked next time it is drawn, ms (default 1000). */
  forcePickMs?: number;
  now?: () => number;
  random?: () => number;
}

/**
 * Power of two choices (go-zero's default `p2c_ewma` balancer): draw two READY connections at
 * random and take the less loaded, where load = √(latency average + 1) × (in-flight calls + 1).
 * A slow or busy instance is drawn as often as any other but loses the comparison, so traffic
 * drifts to the instances that answer quickly; one not picked for `forcePickMs` is picked the
 * next time it is drawn, so its latency figure never goes stale.
 */
export class P2cPicker implements Picker {
  private readonly stats = new WeakMap<Connection, Stats>();
  private readonly decayMs: number;
  private readonly forcePickMs: number;
  private readonly now: () => number;
  private readonly random: () => number;

  constructor(options: P2cOptions = {}) {
    this.decayMs = options.decayMs ?? 10_000;
    this.forcePickMs = options.forcePickMs ?? 1000;
    this.now = options.now ?? (() => performance.now());
    this.random = options.random ?? Math.random;
  }

  pick(ready: readonly Connection[]): PickResult {
    if (ready.length === 1) return this.start(ready[0]!);
    const i = Math.floor(this.random() * ready.length);
    let j = Math.floor(this.random() * (ready.length - 1));
    if (j >= i) j++; // two distinct draws
    let [better, worse] = [ready[i]!, ready[j]!];
    if (this.load(worse) < this.load(better)) [better, worse] = [worse, better];
    const now = this.now();
    if (now - this.statsOf(worse).lastPick > this.forcePickMs) return this.start(worse);
    return this.start(better);
  }

  /** Load figure of `connection` (exposed for tests). */
  load(connection: Connection): number {
    const stats = this.statsOf(connection);
    return Math.sqrt(stats.lagMs + 1) * (stats.inflight + 1);
  }

  private statsOf(connection: Connection): Stats {
    let stats = this.stats.get(connection);
    if (stats === undefined) {
      const now = this.now();
      stats = { inflight: 0, lagMs: 0, lastDone: now, lastPick: -Infinity };
      this.stats.set(connection, stats);
    }
    return stats;
  }

  private start(connection: Connection): PickResult {
    const stats = this.statsOf(connection);
    const started = this.now();
    stats.inflight++;
    stats.lastPick = started;
    let ended = false;
    return {
      connection,
      done: () => {
        if (ended) return;
        ended = true;
        const now = this.now();
        stats.inflight--;
        const latency = Math.max(0, now - started);
        // Older samples weigh less the longer ago the last one was; the first sample is taken as is.
        const weight = stats.lagMs === 0 ? 0 : Math.exp(-Math.max(0, now - stats.lastDone) / this.decayMs);
        stats.lagMs = stats.lagMs * weight + latency * (1 - weight);
        stats.lastDone = now;
      },
    };
  }
}
