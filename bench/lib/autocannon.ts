/**
 * The HTTP load generator: autocannon run as its own process (so its CPU is not the bench's and
 * its event loop is not shared with anything measured), read back through `--json`.
 */
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { startChild } from './processes.ts';

/** What one autocannon run measured. */
export interface LoadResult {
  /** Completed 2xx responses per second over the run. */
  requestsPerSecond: number;
  /** Latency percentiles in milliseconds. */
  p50Ms: number;
  p99Ms: number;
  /** Responses that were not 2xx, plus socket errors and timeouts. */
  failures: number;
  total: number;
  durationSeconds: number;
}

export interface LoadOptions {
  url: string;
  connections: number;
  durationSeconds: number;
}

const autocannonBin = join(dirname(createRequire(import.meta.url).resolve('autocannon/package.json')), 'autocannon.js');

interface AutocannonJson {
  requests: { total: number; average: number };
  latency: { p50: number; p99: number };
  errors: number;
  timeouts: number;
  non2xx: number;
  '2xx': number;
  duration: number;
}

/** Runs autocannon against `url` and resolves with its figures. */
export async function runLoad(options: LoadOptions): Promise<LoadResult> {
  const child = startChild('autocannon', process.execPath, [
    autocannonBin,
    '--json',
    '--connections', String(options.connections),
    '--duration', String(options.durationSeconds),
    options.url,
  ], { keepChars: 1 << 20 });
  const code = await child.exited;
  if (code !== 0) throw new Error(`autocannon exited ${code}: ${child.stderr().slice(-2000)}`);
  const json = JSON.parse(child.stdout()) as AutocannonJson;
  return {
    requestsPerSecond: json['2xx'] / json.duration,
    p50Ms: json.latency.p50,
    p99Ms: json.latency.p99,
    failures: json.non2xx + json.errors + json.timeouts,
    total: json.requests.total,
    durationSeconds: json.duration,
  };
}
