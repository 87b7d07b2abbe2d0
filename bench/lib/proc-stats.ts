/**
 * Resource use of other processes, read from Linux's /proc: resident memory (VmRSS in
 * /proc/<pid>/status), CPU time (utime + stime in /proc/<pid>/stat, and in
 * /proc/<pid>/task/<pid>/stat for the main thread alone) and the machine's idle and I/O-wait
 * time (/proc/stat). Off Linux every reading is undefined and the tables show '–'.
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
  return statCpuSeconds(`/proc/${pid}/stat`);
}

/**
 * CPU seconds of `pid`'s main thread alone: for Node, the event loop (JavaScript, and the
 * garbage collector's work on that thread), without the libuv pool, the GC helpers or a
 * native library's own threads.
 */
export function mainThreadCpuSeconds(pid: number): number | undefined {
  return statCpuSeconds(`/proc/${pid}/task/${pid}/stat`);
}

function statCpuSeconds(path: string): number | undefined {
  try {
    const stat = readFileSync(path, 'utf8');
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
  /** The main thread's CPU seconds over the window. */
  mainThreadCpuSeconds?: number;
  /** The main thread's CPU use over the window, as a percentage of one core. */
  mainThreadCpuPercent?: number;
}

/** What a sampler saw over its window. */
export interface UsageWindow {
  /** Each sampled process, by pid. */
  processes: Record<number, ProcessUsage>;
  machine: MachineUsage;
}

/** How the whole machine spent a window, as percentages of all its cores together. */
export interface MachineUsage {
  /** Cores running nothing, I/O wait included: CPU left unused. */
  idlePercent?: number;
  /** The part of `idlePercent` with disk I/O outstanding. */
  iowaitPercent?: number;
}

/** A running sampler; `stop()` ends the window. */
export interface UsageSampler {
  stop(): UsageWindow;
}

/**
 * Samples RSS of `pids` every `intervalMs`, and CPU time (each process's, its main thread's and
 * the machine's split) at the start and end of the window.
 */
export function sampleUsage(pids: readonly number[], intervalMs = 250): UsageSampler {
  const started = performance.now();
  const cpuAtStart = new Map(pids.map((pid) => [pid, { all: cpuSeconds(pid), main: mainThreadCpuSeconds(pid) }]));
  const machineAtStart = machineTicks();
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
      const processes: Record<number, ProcessUsage> = {};
      for (const pid of pids) {
        const rss = samples.get(pid)!;
        const before = cpuAtStart.get(pid)!;
        const cpu = difference(before.all, cpuSeconds(pid));
        const main = difference(before.main, mainThreadCpuSeconds(pid));
        processes[pid] = {
          peakRss: rss.length ? Math.max(...rss) : undefined,
          meanRss: rss.length ? rss.reduce((a, b) => a + b, 0) / rss.length : undefined,
          cpuSeconds: cpu,
          cpuPercent: cpu !== undefined ? (100 * cpu) / seconds : undefined,
          mainThreadCpuSeconds: main,
          mainThreadCpuPercent: main !== undefined ? (100 * main) / seconds : undefined,
        };
      }
      return { processes, machine: machineUsage(machineAtStart, machineTicks()) };
    },
  };
}

function difference(before: number | undefined, after: number | undefined): number | undefined {
  return before !== undefined && after !== undefined ? after - before : undefined;
}

type MachineTicks = { total: number; idle: number; iowait: number };

function machineUsage(before: MachineTicks | undefined, after: MachineTicks | undefined): MachineUsage {
  if (before === undefined || after === undefined || after.total === before.total) return {};
  const total = after.total - before.total;
  return { idlePercent: (100 * (after.idle - before.idle)) / total, iowaitPercent: (100 * (after.iowait - before.iowait)) / total };
}

/** The machine's CPU time split so far (first line of /proc/stat). */
function machineTicks(): MachineTicks | undefined {
  try {
    // cpu  user nice system idle iowait irq softirq steal ...
    const fields = readFileSync('/proc/stat', 'utf8').split('\n', 1)[0].trim().split(/\s+/).slice(1).map(Number);
    const total = fields.slice(0, 8).reduce((a, b) => a + b, 0);
    return { total, idle: fields[3] + fields[4], iowait: fields[4] };
  } catch {
    return undefined;
  }
}
