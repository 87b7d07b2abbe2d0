import { cpuUsage } from 'node:process';

/** Where a shedder reads the CPU load from: millicpu, 0..1000 (go-zero's `stat.CpuUsage()`). */
export interface CpuSampler {
  /** The smoothed CPU usage in millicpu (1000 = saturated). */
  usage(): number;
}

/** How often the process sampler looks at `process.cpuUsage()` (go-zero samples every 250 ms). */
const SAMPLE_INTERVAL_MS = 250;
/** Exponential moving average weight of the previous value (go-zero's beta). */
const BETA = 0.95;

/**
 * Samples this process's CPU time every 250 ms and smooths it (EMA, beta 0.95). The scale is ONE
 * core: a Node server runs its JavaScript on one thread, so it is saturated when that thread is,
 * whatever the machine's core count (go-zero's Go servers use every core, so it divides by them).
 * Time spent on libuv/GC threads can push the raw figure past one core; it is capped at 1000.
 */
export class ProcessCpuSampler implements CpuSampler {
  private value = 0;
  private last = cpuUsage();
  private lastAt = performance.now();
  private timer: NodeJS.Timeout | undefined;
  private users = 0;

  usage(): number {
    return this.value;
  }

  /** Starts sampling (reference counted); the timer never keeps the process alive. */
  acquire(): void {
    if (this.users++ > 0) return;
    this.last = cpuUsage();
    this.lastAt = performance.now();
    this.timer = setInterval(() => this.sample(), SAMPLE_INTERVAL_MS);
    this.timer.unref();
  }

  /** Stops sampling once every `acquire()` has been released. */
  release(): void {
    if (this.users === 0 || --this.users > 0) return;
    clearInterval(this.timer);
    this.timer = undefined;
  }

  private sample(): void {
    const now = performance.now();
    const used = cpuUsage(this.last);
    this.last = cpuUsage();
    const elapsedUs = (now - this.lastAt) * 1000;
    this.lastAt = now;
    if (elapsedUs <= 0) return;
    const raw = Math.min(1000, ((used.user + used.system) / elapsedUs) * 1000);
    this.value = this.value * BETA + raw * (1 - BETA);
  }
}

let shared: ProcessCpuSampler | undefined;

/** The process-wide sampler every server's shedder shares (one timer per process). */
export function processCpuSampler(): ProcessCpuSampler {
  shared ??= new ProcessCpuSampler();
  return shared;
}

/** A sampler stuck at `millicpu`, for tests and for callers that measure load their own way. */
export function fixedCpuSampler(millicpu: number): CpuSampler & { set(millicpu: number): void } {
  let value = millicpu;
  return { usage: () => value, set: (v) => void (value = v) };
}
