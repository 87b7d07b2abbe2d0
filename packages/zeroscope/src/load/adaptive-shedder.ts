import { type CpuSampler, processCpuSampler } from './cpu-sampler.ts';
import { RollingWindow } from './rolling-window.ts';

/** What a caller tells the shedder when an admitted request is done. */
export interface Admission {
  /** The request succeeded: its latency feeds the window (go-zero's Promise.Pass). */
  pass(): void;
  /** The request failed: it only leaves the in-flight count (go-zero's Promise.Fail). */
  fail(): void;
}

/** Why a request was shed; the shedding middleware put it on the span. */
export interface ShedReason {
  /** Smoothed CPU usage in millicpu when the request was shed. */
  cpu: number;
  /** Requests in flight. */
  flying: number;
  /** Their moving average. */
  avgFlying: number;
  /** How many in flight the window says the server can take right now. */
  maxFlight: number;
}

/** The verdict of {@link Shedder.allow}: admitted (with its `Admission`) or shed (with the reason). */
export type ShedDecision = { admitted: true; admission: Admission } | { admitted: false; reason: ShedReason };

/** Decides per request whether the server takes it (go-zero's load.Shedder). */
export interface Shedder {
  allow(): ShedDecision;
}

/** Options of {@link AdaptiveShedder}. */
export interface AdaptiveShedderOptions {
  /** CPU usage in millicpu from which shedding may start (go-zero's CpuThreshold; default 900 = 90%). */
  cpuThreshold?: number;
  /** Window length in ms (default 5000). */
  windowMs?: number;
  /** Slots in the window (default 50, so 100 ms each). */
  buckets?: number;
  /** Where the CPU usage comes from (default: the process sampler). */
  cpu?: CpuSampler;
  /** Monotonic clock in ms (tests pass a fake). */
  now?: () => number;
}

const DEFAULT_CPU_THRESHOLD = 900;
const DEFAULT_WINDOW_MS = 5000;
const DEFAULT_BUCKETS = 50;
/** With no history, assume requests take a second: a large value that sheds nothing by mistake. */
const DEFAULT_MIN_RT_MS = 1000;
/** Weight of the previous in-flight average (go-zero's flyingBeta). */
const FLYING_BETA = 0.9;
/** After a drop under high CPU, keep checking throughput this long even if CPU dipped. */
const COOL_OFF_MS = 1000;
const CPU_MAX = 1000;
/** However hot the CPU, admit at least this share of what the window says fits. */
const OVERLOAD_FACTOR_FLOOR = 0.1;

/**
 * go-zero's adaptive shedder. A request is shed only when BOTH the CPU is at or above the
 * threshold (or was within the last second, after a drop) AND the requests in flight — now and on
 * average — exceed what the recent window shows the server completes: max passes per slot ×
 * slots per second × the lowest average latency (Little's law), scaled down as CPU nears 100%.
 * So a busy CPU alone never sheds, and neither does a burst the server is keeping up with.
 *
 * @example
 *   const shedder = new AdaptiveShedder({ cpuThreshold: 900 });
 *   const d = shedder.allow();
 *   if (!d.admitted) return reply503();
 *   try { await handle(); d.admission.pass(); } catch (e) { d.admission.fail(); throw e; }
 */
export class AdaptiveShedder implements Shedder {
  private readonly cpuThreshold: number;
  private readonly cpu: CpuSampler;
  private readonly now: () => number;
  /** Slots per second divided by 1000, so passes × minRt(ms) × scale = requests in flight. */
  private readonly windowScale: number;
  private readonly passes: RollingWindow;
  private readonly latencies: RollingWindow;
  private flying = 0;
  private avgFlying = 0;
  private overloadAt: number | undefined;
  private droppedRecently = false;

  constructor(options: AdaptiveShedderOptions = {}) {
    this.cpuThreshold = options.cpuThreshold ?? DEFAULT_CPU_THRESHOLD;
    this.cpu = options.cpu ?? processCpuSampler();
    this.now = options.now ?? (() => performance.now());
    const buckets = options.buckets ?? DEFAULT_BUCKETS;
    const bucketMs = (options.windowMs ?? DEFAULT_WINDOW_MS) / buckets;
    this.windowScale = 1 / bucketMs;
    this.passes = new RollingWindow(buckets, bucketMs, this.now);
    this.latencies = new RollingWindow(buckets, bucketMs, this.now);
  }

  allow(): ShedDecision {
    const reason = this.shouldDrop();
    if (reason !== undefined) {
      this.droppedRecently = true;
      return { admitted: false, reason };
    }
    this.flying++;
    const start = this.now();
    let done = false;
    return {
      admitted: true,
      admission: {
        pass: () => {
          if (done) return;
          done = true;
          this.leave();
          this.latencies.add(Math.ceil(this.now() - start));
          this.passes.add(1);
        },
        fail: () => {
          if (done) return;
          done = true;
          this.leave();
        },
      },
    };
  }

  /** A snapshot of the shedder's state (for logs and tests). */
  stats(): ShedReason {
    return { cpu: this.cpu.usage(), flying: this.flying, avgFlying: this.avgFlying, maxFlight: this.maxFlight() };
  }

  private leave(): void {
    this.flying--;
    // Averaged only as requests finish: lags behind a sudden rise, so a burst is admitted first.
    this.avgFlying = this.avgFlying * FLYING_BETA + this.flying * (1 - FLYING_BETA);
  }

  private shouldDrop(): ShedReason | undefined {
    if (!this.systemOverloaded() && !this.stillHot()) return undefined;
    const maxFlight = this.maxFlight() * this.overloadFactor();
    if (this.avgFlying > maxFlight && this.flying > maxFlight) {
      return { cpu: this.cpu.usage(), flying: this.flying, avgFlying: this.avgFlying, maxFlight };
    }
    return undefined;
  }

  private systemOverloaded(): boolean {
    if (this.cpu.usage() < this.cpuThreshold) return false;
    this.overloadAt = this.now();
    return true;
  }

  private stillHot(): boolean {
    if (!this.droppedRecently || this.overloadAt === undefined) return false;
    if (this.now() - this.overloadAt < COOL_OFF_MS) return true;
    this.droppedRecently = false;
    return false;
  }

  private maxFlight(): number {
    let maxPass = 1;
    this.passes.reduce((sum) => {
      if (sum > maxPass) maxPass = sum;
    });
    let minRt = DEFAULT_MIN_RT_MS;
    this.latencies.reduce((sum, count) => {
      if (count <= 0) return;
      const avg = Math.round(sum / count);
      if (avg < minRt) minRt = avg;
    });
    return Math.max(1, maxPass * minRt * this.windowScale);
  }

  private overloadFactor(): number {
    const factor = (CPU_MAX - this.cpu.usage()) / (CPU_MAX - this.cpuThreshold);
    return Math.min(1, Math.max(OVERLOAD_FACTOR_FLOOR, factor));
  }
}

/**
 * Builds the shedder a server uses for `cpuThreshold` (go-zero: 0 turns shedding off). The
 * process sampler starts on first use; its timer never holds the process open.
 */
export function createShedder(cpuThreshold: number, cpu?: CpuSampler): Shedder | undefined {
  if (!(cpuThreshold > 0)) return undefined;
  if (cpu === undefined) processCpuSampler().acquire();
  return new AdaptiveShedder({ cpuThreshold, cpu });
}
