/**
 * Issue item 1, the seed's chain: `GET /api/order/1` on order (HTTP) → user (gRPC), the
 * issue's five variants A–E and a diagnostic F (lib/chain-variants.ts), loaded by autocannon
 * in its own process. Every variant's services start once and stay up; round 1 warms each one
 * for `warmupSeconds` (the JIT needs ~5 s), later rounds re-warm briefly. Variants are
 * interleaved A B C D E F A B C D E F … so machine drift hits all alike; figures are medians
 * over rounds, ratios are medians of per-round ratios.
 */
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { runLoad, type LoadResult } from './lib/autocannon.ts';
import { startBackendProcess, type BackendProcess } from './lib/backend.ts';
import { startVariant, VARIANTS, type ChainTargets, type RunningVariant, type VariantId } from './lib/chain-variants.ts';
import { renderTable } from './lib/markdown.ts';
import { log } from './lib/options.ts';
import { freePort } from './lib/ports.ts';
import { rssBytes, sampleUsage, type MachineUsage, type ProcessUsage } from './lib/proc-stats.ts';
import { stopAll } from './lib/processes.ts';
import { fmt, mb, median } from './lib/stats.ts';
import { searchTraceIds, traceSpanCount } from './lib/tempo-client.ts';
import { SECTION_TITLES } from './lib/report-file.ts';
import type { BenchSection } from './lib/section.ts';
import { makeTempDir, removeTempDir } from './lib/temp-dirs.ts';

/** Knobs of the chain benchmark (all overridable from the command line, e.g. `--rounds 5`). */
export interface ChainOptions {
  connections: number;
  /** Load before round 1's measurement of each variant. */
  warmupSeconds: number;
  /** Load before each later round's measurement. */
  rewarmSeconds: number;
  durationSeconds: number;
  rounds: number;
}

export const CHAIN_DEFAULTS: ChainOptions = { connections: 20, warmupSeconds: 10, rewarmSeconds: 3, durationSeconds: 12, rounds: 5 };
export const CHAIN_QUICK: ChainOptions = { connections: 20, warmupSeconds: 2, rewarmSeconds: 1, durationSeconds: 3, rounds: 1 };

/** One measured run of one variant. */
interface Measurement {
  load: LoadResult;
  order: ProcessUsage;
  user: ProcessUsage;
  /** The backend's use over the same window (it ingests only in B and D). */
  backend: ProcessUsage;
  machine: MachineUsage;
}

/** The targets, as ratios of req/s. */
const TARGETS: ReadonlyArray<{ name: string; num: VariantId; den: VariantId; min: number; meaning: string }> = [
  { name: 'B/A', num: 'B', den: 'A', min: 0.9, meaning: 'tracing every request costs < 10% of throughput' },
  { name: 'C/A', num: 'C', den: 'A', min: 0.95, meaning: 'tracing with the backend down costs < 5%' },
  { name: 'B/D', num: 'B', den: 'D', min: 2.5, meaning: 'traced zeroscope vs Express + OTel auto-instrumentation' },
  { name: 'A/E', num: 'A', den: 'E', min: 0.85, meaning: "the framework's own layers vs bare Fastify + grpc-js" },
];

/** Ratios with no target that say where the tracing cost goes (F is a diagnostic variant). */
const DIAGNOSTICS: ReadonlyArray<{ name: string; num: VariantId; den: VariantId; meaning: string }> = [
  { name: 'F/A', num: 'F', den: 'A', meaning: 'context propagation alone (AsyncLocalStorage on this Node), no span made' },
  { name: 'C/F', num: 'C', den: 'F', meaning: 'the three spans and their (failing) export, beyond context propagation' },
  { name: 'B/C', num: 'B', den: 'C', meaning: 'exporting for real, with the backend ingesting on the same cores' },
  { name: 'B/G', num: 'B', den: 'G', meaning: 'traced, compiled JavaScript vs the same TypeScript through tsx' },
  { name: 'A/H', num: 'A', den: 'H', meaning: 'untraced, compiled JavaScript vs the same TypeScript through tsx' },
];

async function measure(variant: RunningVariant, backendPid: number, options: ChainOptions, warmSeconds: number): Promise<Measurement> {
  const base = { url: variant.orderUrl, connections: options.connections };
  if (warmSeconds > 0) await runLoad({ ...base, durationSeconds: warmSeconds });
  const sampler = sampleUsage([variant.order.pid, variant.user.pid, backendPid]);
  const load = await runLoad({ ...base, durationSeconds: options.durationSeconds });
  const { processes, machine } = sampler.stop();
  return { load, order: processes[variant.order.pid], user: processes[variant.user.pid], backend: processes[backendPid], machine };
}

/** Spans one request makes in a traced variant, read back from the backend (0: none arrived). */
async function spansPerRequest(backend: BackendProcess, orderService: string): Promise<number> {
  const ids = await searchTraceIds(backend.query, `{ resource.service.name = "${orderService}" && name =~ "GET.*" }`, 20);
  const counts = await Promise.all(ids.map((id) => traceSpanCount(backend.query, id)));
  return counts.length ? Math.max(...counts) : 0;
}

/**
 * {@link spansPerRequest} once the last requests' spans have all arrived: each service exports
 * its part of a trace on its own schedule (the OTel SDK's default is every 5 s), so a count read
 * right after the load can miss a part. Reads until two reads agree, at most ~12 s.
 */
async function settledSpansPerRequest(backend: BackendProcess, orderService: string): Promise<number> {
  let last = await spansPerRequest(backend, orderService);
  for (let i = 0; i < 6; i++) {
    await sleep(2000);
    const now = await spansPerRequest(backend, orderService);
    if (now === last && now > 0) return now;
    last = now;
  }
  return last;
}

/** Runs the chain benchmark and returns its report section; `profileDir` turns on `--cpu-prof` for every process. */
export async function runChain(options: ChainOptions, profileDir?: string, only: readonly VariantId[] = VARIANTS.map((v) => v.id)): Promise<BenchSection> {
  const chosen = VARIANTS.filter((v) => only.includes(v.id));
  const workDir = await makeTempDir('chain');
  const running: RunningVariant[] = [];
  let backend: BackendProcess | undefined;
  try {
    const nodeArgs = profileDir ? ['--cpu-prof', `--cpu-prof-dir=${join(profileDir, 'chain-backend')}`] : undefined;
    backend = await startBackendProcess({ dataDir: join(workDir, 'data'), nodeArgs });
    const targets = {
      backendHostPort: new URL(backend.otlpHttpTraces).host,
      downHostPort: `127.0.0.1:${await freePort()}`,
      workDir,
      profileDir,
    };
    const startup = await measureStartup(targets, options.rounds);
    log(`chain: starting variants ${chosen.map((v) => v.id).join(' ')}`);
    // Started together (start-up is mostly waiting on tsx and module loading); a failure still
    // leaves the others in `running`, so the finally block stops them.
    const started = await Promise.allSettled(chosen.map((spec) => startVariant(spec.id, targets)));
    for (const result of started) if (result.status === 'fulfilled') running.push(result.value);
    const failed = started.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failed) throw failed.reason;
    const results = new Map<VariantId, Measurement[]>(chosen.map((v) => [v.id, []]));
    for (let round = 1; round <= options.rounds; round++) {
      for (const variant of running) {
        const warm = round === 1 ? options.warmupSeconds : options.rewarmSeconds;
        const m = await measure(variant, backend.child.pid, options, warm);
        results.get(variant.id)!.push(m);
        log(`chain: round ${round}/${options.rounds} ${variant.id}: ${fmt(m.load.requestsPerSecond)} req/s, p99 ${m.load.p99Ms} ms`);
      }
    }
    const spans = new Map<VariantId, number>();
    for (const spec of chosen) if (spec.serviceNames) spans.set(spec.id, await settledSpansPerRequest(backend, spec.serviceNames.order));
    return report(options, results, spans, startup);
  } finally {
    await stopAll(running.flatMap((v) => [v.order, v.user]));
    await backend?.child.stop();
    await removeTempDir(workDir);
  }
}

/** The variants whose start-up and idle memory are measured: compiled, through tsx, bare Fastify. */
const STARTUP_VARIANTS: readonly VariantId[] = ['A', 'H', 'E'];
const IDLE_SETTLE_MS = 2000;

interface StartupSample {
  startupMs: { order: number; user: number };
  idleRss: { order?: number; user?: number };
}

/**
 * Starts each of STARTUP_VARIANTS alone, `rounds` times in turn (nothing else running but the
 * backend): time from spawn until each service accepts connections, and its RSS once idle.
 */
async function measureStartup(targets: ChainTargets, rounds: number): Promise<Map<VariantId, StartupSample[]>> {
  const samples = new Map<VariantId, StartupSample[]>(STARTUP_VARIANTS.map((id) => [id, []]));
  for (let round = 1; round <= rounds; round++) {
    for (const id of STARTUP_VARIANTS) {
      const variant = await startVariant(id, targets);
      try {
        await sleep(IDLE_SETTLE_MS);
        samples.get(id)!.push({ startupMs: variant.startupMs, idleRss: { order: rssBytes(variant.order.pid), user: rssBytes(variant.user.pid) } });
      } finally {
        await stopAll([variant.order, variant.user]);
      }
    }
    log(`chain: start-up round ${round}/${rounds} done`);
  }
  return samples;
}

function report(
  options: ChainOptions,
  results: Map<VariantId, Measurement[]>,
  spans: Map<VariantId, number>,
  startup: Map<VariantId, StartupSample[]>,
): BenchSection {
  const med = (id: VariantId, pick: (m: Measurement) => number | undefined) =>
    median(results.get(id)!.map(pick).filter((v): v is number => v !== undefined));
  const cpuPerRequest = (m: Measurement, which: 'order' | 'user' | 'backend') => {
    const cpu = m[which].cpuSeconds;
    const requests = m.load.requestsPerSecond * m.load.durationSeconds;
    return cpu === undefined || requests === 0 ? undefined : (cpu * 1e6) / requests;
  };
  const chosen = VARIANTS.filter((v) => results.has(v.id));
  const rows = chosen.map((v) => [
    v.id,
    v.label,
    fmt(med(v.id, (m) => m.load.requestsPerSecond)),
    fmt(med(v.id, (m) => m.load.p50Ms), 1),
    fmt(med(v.id, (m) => m.load.p99Ms), 1),
    mb(med(v.id, (m) => m.order.peakRss)),
    mb(med(v.id, (m) => m.user.peakRss)),
    fmt(med(v.id, (m) => cpuPerRequest(m, 'order'))),
    fmt(med(v.id, (m) => cpuPerRequest(m, 'user'))),
    v.serviceNames ? fmt(med(v.id, (m) => cpuPerRequest(m, 'backend'))) : '–',
    fmt(med(v.id, (m) => m.machine.idlePercent)),
    v.serviceNames ? fmt(spans.get(v.id)) : '–',
    fmt(results.get(v.id)!.reduce((n, m) => n + m.load.failures, 0)),
  ]);
  /** Median over rounds of the per-round ratio of req/s (rounds are interleaved, so each pair ran side by side). */
  const ratioOf = (num: VariantId, den: VariantId): number => {
    const a = results.get(num)!;
    const b = results.get(den)!;
    return median(a.map((m, i) => m.load.requestsPerSecond / b[i].load.requestsPerSecond));
  };
  // A ratio needs both its variants (`--variants` may leave some out).
  const measured = (r: { num: VariantId; den: VariantId }) => results.has(r.num) && results.has(r.den);
  /**
   * The same comparison by cost: CPU per request of every process a variant keeps busy (both
   * services, and the backend where it ingests), the denominator's over the numerator's. It is
   * what the req/s ratio would be if the machine were CPU-bound and shared fairly, and it moves
   * less than req/s when other work lands on the machine.
   */
  const costRatioOf = (num: VariantId, den: VariantId): number | undefined => {
    const cost = (id: VariantId) => {
      const traced = VARIANTS.find((v) => v.id === id)?.serviceNames !== undefined;
      const parts = (['order', 'user', ...(traced ? ['backend' as const] : [])] as const).map((w) => med(id, (m) => cpuPerRequest(m, w)));
      return parts.every((p) => Number.isFinite(p)) ? parts.reduce((a, b) => a + b, 0) : undefined;
    };
    const [a, b] = [cost(num), cost(den)];
    return a === undefined || b === undefined || a === 0 ? undefined : b / a;
  };
  const ratioRows = TARGETS.filter(measured).map((t) => {
    const ratio = ratioOf(t.num, t.den);
    // Three decimals: a ratio that rounds to the target must not read "missed by 0.00".
    return [t.name, fmt(ratio, 3), `≥ ${fmt(t.min, 2)}`, ratio >= t.min ? 'met' : `missed by ${fmt(t.min - ratio, 3)}`, fmt(costRatioOf(t.num, t.den), 2), t.meaning];
  });
  const diagnosticRows = DIAGNOSTICS.filter(measured).map((d) => [d.name, fmt(ratioOf(d.num, d.den), 2), d.meaning]);
  const settings = `${options.connections} connections, ${options.durationSeconds} s measured per run, warm-up ${options.warmupSeconds} s (round 1) / ${options.rewarmSeconds} s (later rounds), ${options.rounds} round(s) interleaved ${chosen.map((v) => v.id).join(' ')}`;
  const chain = renderTable({
    title: 'Chain: GET /api/order/1, order (HTTP) → user (gRPC)',
    head: ['', 'variant', 'req/s', 'p50 ms', 'p99 ms', 'RSS order MB', 'RSS user MB', 'CPU order µs/req', 'CPU user µs/req', 'CPU backend µs/req', 'machine idle %', 'spans/req', 'failed'],
    rows,
    notes: [
      `Medians over rounds; ${settings}.`,
      'RSS is the peak sampled during the measured run; CPU is the user+system time of each service process during',
      'the run divided by completed requests (the backend\'s only where it ingests: B and D); machine idle is the share of',
      'both cores left unused during the run; spans/req is read back from the backend (largest of the last traces).',
      'autocannon and the backend (B, D) run on the same cores as the services.',
    ],
  });
  const ratios = renderTable({
    title: 'Chain ratios (req/s) against the issue\'s targets',
    head: ['ratio', 'measured', 'target', 'status', 'by CPU µs/req', 'meaning'],
    rows: ratioRows,
    notes: ['"By CPU µs/req": the same ratio from the cost of a request instead, the CPU µs/req of both services (and the', 'backend, in B and D) of the denominator over the numerator\'s; it leaves out autocannon, which every variant shares.'],
  });
  const diagnostics = renderTable({ title: 'Where the tracing cost goes (ratios of req/s, no target)', head: ['ratio', 'measured', 'meaning'], rows: diagnosticRows });
  const startMed = (id: VariantId, pick: (s: StartupSample) => number | undefined) =>
    median(startup.get(id)!.map(pick).filter((v): v is number => v !== undefined));
  const startupTable = renderTable({
    title: 'Start-up and idle memory (each variant started alone, medians over the rounds)',
    head: ['variant', 'runs', 'user start-up ms', 'order start-up ms', 'user idle RSS MB', 'order idle RSS MB'],
    rows: STARTUP_VARIANTS.map((id) => [
      `${id}: ${VARIANTS.find((v) => v.id === id)!.label}`,
      String(startup.get(id)!.length),
      fmt(startMed(id, (s) => s.startupMs.user)),
      fmt(startMed(id, (s) => s.startupMs.order)),
      mb(startMed(id, (s) => s.idleRss.user)),
      mb(startMed(id, (s) => s.idleRss.order)),
    ]),
    notes: [`Start-up: from spawn until the service accepts TCP connections. Idle RSS: ${IDLE_SETTLE_MS / 1000} s after that, before any load.`],
  });
  const tables = [chain, ratios, ...(diagnosticRows.length ? [diagnostics] : []), startupTable];
  return { id: 'chain', title: SECTION_TITLES.chain, body: tables.join('\n\n') };
}
