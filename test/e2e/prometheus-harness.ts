/**
 * A real Prometheus for the end-to-end suites: Debian's `prometheus` (installed with apt-get when
 * missing and running as root), started on 127.0.0.1 on a free port with a temporary config and
 * TSDB, scraping the given targets every second, stopped and removed after. As with etcd, nothing
 * is skipped: if Prometheus cannot be had, the suite fails with the reason.
 */
import { AssertionError } from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './harness.ts';
import { ensureDebianPackage, findExecutable } from '../lib/debian.ts';
import { eventually } from '../lib/eventually.ts';

/** The prometheus binary on PATH (or /usr/bin), installing Debian's package if needed. */
export function ensurePrometheus(): string {
  return ensureDebianPackage('prometheus', () => findExecutable('prometheus'));
}

/** One PromQL result sample. */
export interface PromSample {
  metric: Record<string, string>;
  value: number;
}

/** A running Prometheus. */
export interface PrometheusServer {
  /** Base URL of its HTTP API. */
  readonly url: string;
  /** An instant query; rejects on a PromQL error with Prometheus' message. */
  query(expr: string): Promise<PromSample[]>;
  /** Polls `expr` until `done` holds for its result (or `timeoutMs` passes), and returns the last result. */
  queryUntil(expr: string, done: (samples: PromSample[]) => boolean, timeoutMs?: number): Promise<PromSample[]>;
  /** Stops it and removes its data. */
  close(): Promise<void>;
}

/** Starts Prometheus scraping `target` (`host:port`) at `metricsPath` every second. */
export async function startPrometheus(target: string, metricsPath = '/metrics'): Promise<PrometheusServer> {
  const binary = ensurePrometheus();
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'zeroscope-prometheus-'));
  const config = join(dir, 'prometheus.yml');
  writeFileSync(
    config,
    [
      'global:',
      '  scrape_interval: 1s',
      '  evaluation_interval: 1s',
      'scrape_configs:',
      '  - job_name: zeroscope',
      `    metrics_path: ${metricsPath}`,
      '    static_configs:',
      `      - targets: ['${target}']`,
      '',
    ].join('\n'),
  );
  const url = `http://127.0.0.1:${port}`;
  let output = '';
  const proc: ChildProcess = spawn(
    binary,
    [`--config.file=${config}`, `--storage.tsdb.path=${join(dir, 'data')}`, `--web.listen-address=127.0.0.1:${port}`, '--log.level=warn'],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  proc.stdout!.on('data', (d) => (output += d));
  proc.stderr!.on('data', (d) => (output += d));
  const close = async () => {
    if (proc.exitCode === null && proc.signalCode === null) {
      const exited = new Promise((resolve) => proc.once('exit', resolve));
      proc.kill('SIGTERM');
      await exited;
    }
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    await eventually(
      () => `prometheus to become ready:\n${output}`,
      async () => {
        if (proc.exitCode !== null) throw new Error(`prometheus exited (${proc.exitCode}):\n${output}`);
        return fetch(`${url}/-/ready`).then((r) => r.ok, () => false);
      },
      { timeoutMs: 30_000, pollMs: 200 },
    );
  } catch (err) {
    await close();
    throw err;
  }

  const query = async (expr: string): Promise<PromSample[]> => {
    const res = await fetch(`${url}/api/v1/query?${new URLSearchParams({ query: expr })}`);
    const body = (await res.json()) as { status: string; error?: string; data?: { resultType: string; result: { metric: Record<string, string>; value: [number, string] }[] } };
    if (body.status !== 'success' || !body.data) throw new Error(`PromQL ${expr}: ${body.error ?? res.status}`);
    if (body.data.resultType !== 'vector') throw new Error(`PromQL ${expr}: expected a vector, got ${body.data.resultType}`);
    return body.data.result.map((r) => ({ metric: r.metric, value: Number(r.value[1]) }));
  };
  return {
    url,
    query,
    async queryUntil(expr, done, timeoutMs = 30_000) {
      let samples: PromSample[] = [];
      try {
        return await eventually(expr, async () => done((samples = await query(expr))) && samples, { timeoutMs, pollMs: 500 });
      } catch (err) {
        // Out of time: the caller's assertions on the last result say what is missing.
        if (err instanceof AssertionError) return samples;
        throw err;
      }
    },
    close,
  };
}
