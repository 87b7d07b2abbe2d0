/** The machine a benchmark ran on, for the report header. */
import { cpus, loadavg, totalmem, type as osType, release } from 'node:os';

/** What BENCHMARKS.md records about where the figures come from. */
export interface MachineInfo {
  cpuModel: string;
  cores: number;
  memoryGiB: number;
  os: string;
  node: string;
  date: string;
  /** 1-minute load average when the run started (other work on a shared machine skews figures). */
  loadAtStart: number;
}

export function machineInfo(): MachineInfo {
  const list = cpus();
  return {
    cpuModel: list[0]?.model.trim() ?? 'unknown',
    cores: list.length,
    memoryGiB: Math.round((totalmem() / 2 ** 30) * 10) / 10,
    os: `${osType()} ${release()}`,
    node: process.version,
    date: new Date().toISOString().replace(/\.\d+Z$/, 'Z'),
    loadAtStart: Math.round(loadavg()[0] * 100) / 100,
  };
}
