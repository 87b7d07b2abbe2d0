/**
 * Issue item 2, backend ingest: spans/s the backend acknowledges (200 / gRPC OK, i.e. durable)
 * from concurrent exporters sending 512-span OTLP requests (lib/ingest-client.ts, its own
 * process). The exporter count doubles (1, 2, 4, …) until two steps in a row fail to beat the
 * best rate by 5% (saturated) or `maxExporters` is reached; the best step is reported with the backend's CPU and RSS during
 * it. Each protocol gets a fresh backend (`zeroscope up`) and data dir. A last row sends OTLP/HTTP
 * protobuf the way a deployment does: each service exports its own part of shared traces, so
 * the backend merges each trace from three requests (lib/ingest-client.ts `--shape by-service`).
 * A second table prices a span in small exports, the demo's traffic (lib/small-export-client.ts:
 * each 3-span trace in two exports of 1 and 2 spans from two services, at a fixed rate): the
 * backend's CPU µs per span there beside the same figure at saturation.
 */
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DEFAULT_LINGER_MS } from '../packages/cli/src/backend/store/internal/commit-groups.ts';
import { startBackendProcess } from './lib/backend.ts';
import type { IngestClientResult, IngestProtocol, IngestShape } from './lib/ingest-client.ts';
import { renderTable } from './lib/markdown.ts';
import { log } from './lib/options.ts';
import { sampleUsage, type MachineUsage, type ProcessUsage } from './lib/proc-stats.ts';
import { startNodeScript } from './lib/processes.ts';
import type { SmallExportResult } from './lib/small-export-client.ts';
import { SECTION_TITLES } from './lib/report-file.ts';
import type { BenchSection } from './lib/section.ts';
import { makeTempDir, removeTempDir } from './lib/temp-dirs.ts';
import { SERVICES, SPANS_PER_TRACE } from './lib/span-factory.ts';
import { fmt, mb } from './lib/stats.ts';

export interface IngestOptions {
  /** Load before each step's measurement (not counted). */
  warmupSeconds: number;
  /** Measured seconds per step. */
  stepSeconds: number;
  maxExporters: number;
  /** Traces per export request (8 spans each; 64 → 512 spans, the SDK's default batch). */
  tracesPerRequest: number;
  /** Small exports: demo traces started per second (3 spans each, in two exports). */
  smallTracesPerSecond: number;
}

export const INGEST_DEFAULTS: IngestOptions = { warmupSeconds: 3, stepSeconds: 8, maxExporters: 64, tracesPerRequest: 64, smallTracesPerSecond: 150 };
export const INGEST_QUICK: IngestOptions = { warmupSeconds: 1, stepSeconds: 2, maxExporters: 2, tracesPerRequest: 64, smallTracesPerSecond: 150 };

const PROTOCOLS: ReadonlyArray<{ id: IngestProtocol; label: string; shape: IngestShape }> = [
  { id: 'http-protobuf', label: 'OTLP/HTTP protobuf', shape: 'whole' },
  { id: 'grpc', label: 'OTLP/gRPC', shape: 'whole' },
  { id: 'http-json', label: 'OTLP/HTTP JSON', shape: 'whole' },
  { id: 'http-protobuf', label: 'OTLP/HTTP protobuf, by service', shape: 'by-service' },
];
const TARGET_SPANS_PER_SECOND = 50_000;
const CLIENT = fileURLToPath(new URL('./lib/ingest-client.ts', import.meta.url));
const SMALL_CLIENT = fileURLToPath(new URL('./lib/small-export-client.ts', import.meta.url));

interface Step {
  exporters: number;
  result: IngestClientResult;
  spansPerSecond: number;
  backend: ProcessUsage;
  client: ProcessUsage;
  machine: MachineUsage;
}

async function runStep(protocol: IngestProtocol, shape: IngestShape, target: string, exporters: number, backendPid: number, options: IngestOptions): Promise<Step> {
  const client = startNodeScript(`ingest-client-${protocol}`, CLIENT, [
    '--protocol', protocol,
    '--target', target,
    '--exporters', String(exporters),
    '--warmup', String(options.warmupSeconds),
    '--seconds', String(options.stepSeconds),
    '--traces-per-request', String(options.tracesPerRequest),
    '--shape', shape,
  ]);
  await client.waitForOutput(/^MEASURING$/m, 60_000);
  const sampler = sampleUsage([backendPid, client.pid]);
  const [, json] = await client.waitForOutput(/^RESULT (.+)$/m, (options.stepSeconds + 60) * 1000);
  const { processes, machine } = sampler.stop();
  await client.exited;
  const result = JSON.parse(json) as IngestClientResult;
  return { exporters, result, spansPerSecond: result.spans / result.seconds, backend: processes[backendPid], client: processes[client.pid], machine };
}

async function runProtocol(protocol: IngestProtocol, shape: IngestShape, options: IngestOptions, profileDir?: string): Promise<Step[]> {
  const dir = await makeTempDir('ingest');
  const nodeArgs = profileDir ? ['--cpu-prof', `--cpu-prof-dir=${join(profileDir, `ingest-${protocol}${shape === 'whole' ? '' : `-${shape}`}`)}`] : undefined;
  const backend = await startBackendProcess({ dataDir: dir, nodeArgs });
  try {
    const target = protocol === 'grpc' ? backend.otlpGrpc : backend.otlpHttpTraces;
    const steps: Step[] = [];
    // By service, exporters come in groups of one per service.
    const first = shape === 'whole' ? 1 : SERVICES.length;
    for (let exporters = first; exporters <= Math.max(first, options.maxExporters); exporters *= 2) {
      const step = await runStep(protocol, shape, target, exporters, backend.child.pid, options);
      steps.push(step);
      log(`ingest: ${protocol} ${shape} ${exporters} exporter(s): ${fmt(step.spansPerSecond)} spans/s, backend CPU ${fmt(step.backend.cpuPercent)}% (event loop ${fmt(step.backend.mainThreadCpuPercent)}%), machine idle ${fmt(step.machine.idlePercent)}%${step.result.failures ? `, ${step.result.failures} failed: ${step.result.firstFailure}` : ''}`);
      if (steps.length >= 3) {
        const before = Math.max(...steps.slice(0, -2).map((s) => s.spansPerSecond));
        if (steps.slice(-2).every((s) => s.spansPerSecond < before * 1.05)) break; // saturated
      }
    }
    return steps;
  } finally {
    await backend.child.stop();
    await removeTempDir(dir);
  }
}

/** Backend CPU µs per acknowledged span over a window (all threads, and the event loop alone). */
function microsPerSpan(backend: ProcessUsage, spans: number, seconds: number): { all?: number; loop?: number } {
  if (spans <= 0) return {};
  const all = backend.cpuSeconds;
  const loop = backend.mainThreadCpuPercent === undefined ? undefined : (backend.mainThreadCpuPercent / 100) * seconds;
  return { all: all === undefined ? undefined : (all * 1e6) / spans, loop: loop === undefined ? undefined : (loop * 1e6) / spans };
}

/** What the small-exports row measured. */
export interface SmallExportRun {
  result: SmallExportResult;
  backend: ProcessUsage;
  client: ProcessUsage;
  machine: MachineUsage;
}

/**
 * Drives the backend listening at `target` (pid `backendPid`) with the demo's small exports at
 * `tracesPerSecond` for a warm-up and a measured window, sampling the backend's CPU over it.
 */
export async function runSmallExports(target: string, backendPid: number, tracesPerSecond: number, warmupSeconds: number, seconds: number): Promise<SmallExportRun> {
  const client = startNodeScript('small-export-client', SMALL_CLIENT, [
    '--target', target,
    '--rate', String(tracesPerSecond),
    '--warmup', String(warmupSeconds),
    '--seconds', String(seconds),
  ]);
  await client.waitForOutput(/^MEASURING$/m, 60_000);
  const sampler = sampleUsage([backendPid, client.pid]);
  const [, json] = await client.waitForOutput(/^RESULT (.+)$/m, (seconds + 60) * 1000);
  const { processes, machine } = sampler.stop();
  await client.exited;
  return { result: JSON.parse(json) as SmallExportResult, backend: processes[backendPid], client: processes[client.pid], machine };
}

/**
 * The small-exports row warms up at least this long: at the demo's rate V8 is still compiling the
 * receive and store path after a few seconds (still tiering up dozens of functions after 8 s, its
 * worker threads a quarter of the backend's CPU), which a `zeroscope up` running for minutes has
 * long finished. After 25 s of warm-up the figure was 20–25% below the one after 3 s.
 */
const SMALL_WARMUP_MIN_SECONDS = 25;

async function smallExportsOnFreshBackend(options: IngestOptions, profileDir?: string): Promise<SmallExportRun> {
  const dir = await makeTempDir('ingest-small');
  const nodeArgs = profileDir ? ['--cpu-prof', `--cpu-prof-dir=${join(profileDir, 'ingest-small-exports')}`] : undefined;
  const backend = await startBackendProcess({ dataDir: dir, nodeArgs });
  try {
    return await runSmallExports(backend.otlpHttpTraces, backend.child.pid, options.smallTracesPerSecond, smallWarmupSeconds(options), options.stepSeconds);
  } finally {
    await backend.child.stop();
    await removeTempDir(dir);
  }
}

function smallWarmupSeconds(options: IngestOptions): number {
  return Math.max(options.warmupSeconds, SMALL_WARMUP_MIN_SECONDS);
}

/** Runs the ingest benchmark and returns its report section; `profileDir` profiles the backend. */
export async function runIngest(options: IngestOptions, profileDir?: string): Promise<BenchSection> {
  const rows: string[][] = [];
  const curves: string[] = [];
  let protobufBest = 0;
  const perSpan: string[][] = [];
  for (const { id, label, shape } of PROTOCOLS) {
    const steps = await runProtocol(id, shape, options, profileDir);
    const best = steps.reduce((a, b) => (b.spansPerSecond > a.spansPerSecond ? b : a));
    if (id === 'http-protobuf' && shape === 'whole') protobufBest = best.spansPerSecond;
    if (id === 'http-protobuf') {
      const us = microsPerSpan(best.backend, best.result.spans, best.result.seconds);
      perSpan.push([`${label}, saturated (${best.exporters} exporters)`, shape === 'whole' ? fmt(options.tracesPerRequest * SPANS_PER_TRACE) : `${fmt((options.tracesPerRequest * SPANS_PER_TRACE) / SERVICES.length)} (mean)`, fmt(best.spansPerSecond), fmt(us.all), fmt(us.loop), fmt(best.backend.cpuPercent), fmt(best.machine.idlePercent), fmt(best.result.p50Ms, 1), fmt(best.result.failures)]);
    }
    rows.push([
      label,
      fmt(best.spansPerSecond),
      String(best.exporters),
      fmt(best.result.bodyBytes / best.result.seconds / 1_048_576, 1),
      fmt(best.result.p50Ms, 1),
      fmt(best.result.p99Ms, 1),
      fmt(best.backend.cpuPercent),
      fmt(best.backend.mainThreadCpuPercent),
      mb(best.backend.peakRss),
      fmt(best.client.cpuPercent),
      fmt(best.machine.idlePercent),
      fmt(best.machine.iowaitPercent),
      fmt(steps.reduce((n, s) => n + s.result.failures, 0)),
    ]);
    curves.push(`${label}: ${steps.map((s) => `${s.exporters} → ${fmt(s.spansPerSecond)}`).join(', ')}`);
  }
  const small = await smallExportsOnFreshBackend(options, profileDir);
  log(`ingest: small exports at ${options.smallTracesPerSecond} traces/s: ${fmt(small.result.spans / small.result.seconds)} spans/s, backend CPU ${fmt(small.backend.cpuPercent)}%, machine idle ${fmt(small.machine.idlePercent)}%${small.result.failures ? `, ${small.result.failures} failed: ${small.result.firstFailure}` : ''}`);
  const smallUs = microsPerSpan(small.backend, small.result.spans, small.result.seconds);
  perSpan.push([`small exports, ${fmt(options.smallTracesPerSecond)} traces/s`, '1–2', fmt(small.result.spans / small.result.seconds), fmt(smallUs.all), fmt(smallUs.loop), fmt(small.backend.cpuPercent), fmt(small.machine.idlePercent), fmt(small.result.p50Ms, 1), fmt(small.result.failures)]);
  const spans = options.tracesPerRequest * SPANS_PER_TRACE;
  const table = renderTable({
    title: 'Ingest: spans/s acknowledged (durable) by `zeroscope up`',
    head: ['protocol', 'spans/s', 'exporters', 'MB/s in', 'req p50 ms', 'req p99 ms', 'backend CPU %', 'event loop CPU %', 'backend RSS MB', 'client CPU %', 'machine idle %', 'of it I/O wait %', 'failed'],
    rows,
    notes: [
      `Requests of ${spans} spans (${options.tracesPerRequest} traces × ${SPANS_PER_TRACE} spans, 3 services, 10–19 attributes and 1–2 events per span,`,
      'stamped with the second they are sent in);',
      `each exporter sends its next request when the last is acknowledged. Best step shown, ${options.stepSeconds} s measured after`,
      `${options.warmupSeconds} s warm-up; CPU % is of one core (200% = both cores of a 2-core machine); the client shares the machine.`,
      `"Event loop" is the backend's main thread alone (decoding, indexing, queueing lmdb writes); the rest of its CPU is`,
      `lmdb's writer, the libuv pool and the GC helpers. Machine idle % is of all cores together (and "I/O wait" the part of it`,
      `spent with disk I/O outstanding): where both the event loop and the machine have room left, the rate is bound by how`,
      `long each acknowledgement waits for its durable commit, not by CPU.`,
      `"By service": exporters in groups of three, one per service, each sending only its service's spans of shared traces`,
      `(order 4 spans a trace, user and inventory 2; order's part one round later, as the root ends last), so every trace`,
      `is stored from three requests and merged twice; a group sends its next round when its three requests are acknowledged.`,
      '',
      'spans/s by number of exporters:',
      '',
      ...curves.map((c) => `- ${c}`),
      '',
      `Target: ≥ ${fmt(TARGET_SPANS_PER_SECOND)} spans/s (OTLP/HTTP protobuf): ${protobufBest >= TARGET_SPANS_PER_SECOND ? 'met' : `missed, at ${fmt((100 * protobufBest) / TARGET_SPANS_PER_SECOND)}% of it`}.`,
    ],
  });
  const perSpanTable = renderTable({
    title: 'Ingest: backend CPU per span, small exports against saturation',
    head: ['load', 'spans per export', 'spans/s', 'backend CPU µs/span', 'of it event loop µs/span', 'backend CPU %', 'machine idle %', 'req p50 ms', 'failed'],
    rows: perSpan,
    notes: [
      `Small exports: the demo's traffic as the backend sees it. Each trace is order's HTTP server span and gRPC client`,
      `span and user's server span, sent as two OTLP/HTTP protobuf exports, user's (1 span) then order's (2 spans) 2 ms`,
      `later without waiting for the first answer, traces started at a fixed rate (not saturation). CPU is the backend's,`,
      `all threads, over the ${options.stepSeconds} s window (after ${smallWarmupSeconds(options)} s at the same rate, so that V8 has compiled the path) divided`,
      `by the spans acknowledged in it; the saturated rows are the best steps above. "req p50 ms" there is mostly the store's`,
      `commit linger: while pushes overlap, a push waits up to ${DEFAULT_LINGER_MS} ms for others to share its lmdb commit.`,
    ],
  });
  return { id: 'ingest', title: SECTION_TITLES.ingest, body: `${table}\n\n${perSpanTable}` };
}
