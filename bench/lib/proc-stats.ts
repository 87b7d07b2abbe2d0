/**
 * Resource use of other processes, read from Linux's /proc: resident memory (VmRSS in
 * /proc/<pid>/status) and CPU time (utime + stime in /proc/<pid>/stat). Off Linux every
 * reading is undefined and the tables show '–'.
 */
import { readFileSync } from 'node:fs';

// Linux reports CPU times in clock ticks; USER_HZ is 100 on every mainstream kernel config,
// and Node has no sysconf(_SC_CLK_TCK) to ask.
const TICKS_PER_SECOND = 100;

/** Resident set size of `pid` in bytes, or undefined when it cannot be read (exited, not Linux). */
export function rssBytes(pid: number): number | undefined {
  try {
    const match = readFileSync(`/proc/${pid}/status`, 'utf8').match(/^VmRSS:\s+(\d+)\s+kB/m);
    return match ? Number(match[1]) * 1024 : undefined;
  } catch {
    return undefined;
  }
}

/** CPU seconds (user + system) `pid` has used so far, or undefined. */
export function cpuSeconds(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) may hold spaces; the fields after its closing paren are fixed.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND;
  } catch {
    return undefined;
  }
}

/** What a sampler saw for one process over its window. */
export interface ProcessUsage {
  /** Highest RSS sampled, bytes. */
  peakRss?: number;
  /** Mean of the RSS samples, bytes. */
  meanRss?: number;
  /** CPU seconds used during the window. */
  cpuSeconds?: number;
  /** CPU use over the window as a percentage of one core. */
  cpuPercent?: number;
}

/** A running sampler; `stop()` ends the window. */
export interface UsageSampler {
  stop(): Record<number, ProcessUsage>;
}

/** Samples RSS of `pids` every `intervalMs` and CPU time at the start and end of the window. */
export function sampleUsage(pids: readonly number[], intervalMs = 250): UsageSampler {
  const started = performance.now();
  const cpuAtStart = new Map(pids.map((pid) => [pid, cpuSeconds(pid)]));
  const samples = new Map<number, number[]>(pids.map((pid) => [pid, []]));
  const take = () => {
    for (const pid of pids) {
      const rss = rssBytes(pid);
      if (rss !== undefined) samples.get(pid)!.push(rss);
    }
  };
  take();
  const timer = setInterval(take, intervalMs);
  return {
    stop() {
      clearInterval(timer);
      take();
      const seconds = (performance.now() - started) / 1000;
      const out: Record<number, ProcessUsage> = {};
      for (const pid of pids) {
        const rss = samples.get(pid)!;
        const before = cpuAtStart.get(pid);
        const after = cpuSeconds(pid);
        const cpu = before !== undefined && after !== undefined ? after - before : undefined;
        out[pid] = {
          peakRss: rss.length ? Math.max(...rss) : undefined,
          meanRss: rss.length ? rss.reduce((a, b) => a + b, 0) / rss.length : undefined,
          cpuSeconds: cpu,
          cpuPercent: cpu !== undefined ? (100 * cpu) / seconds : undefined,
        };
      }
      return out;
    },
  };
}
