/**
 * Issue item 1, the seed's chain: `GET /api/order/1` on order (HTTP) → user (gRPC), in the
 * variants of lib/chain-variants.ts (each on Node 20 and Node 24), loaded by autocannon in its own
 * process. Every variant's services start once and stay up; round 1 warms each one for
 * `warmupSeconds`, later rounds re-warm briefly. Variants are interleaved A S B C … A S B C … so
 * machine drift hits all alike; figures are medians over rounds, ratios are medians of per-round
 * ratios. Traced variants export to `zeroscope up` (B, D: the demo, ingesting on the same cores),
 * to an ideal sink in its own process (S) or to a port nothing listens on (C).
 */
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { runLoad, type LoadResult } from './lib/autocannon.ts';
import { startBackendProcess, type BackendProcess } from './lib/backend.ts';
import { DEFAULT_VARIANTS, startVariant, VARIANTS, variantSpec, type ChainTargets, type RunningVariant, type VariantId } from './lib/chain-variants.ts';
import { renderTable } from './lib/markdown.ts';
import { node24Binary } from './lib/node24.ts';
import { log } from './lib/options.ts';
import { freePort } from './lib/ports.ts';
import { rssBytes, sampleUsage, type MachineUsage, type ProcessUsage } from './lib/proc-stats.ts';
import { stopAll } from './lib/processes.ts';
import { profileSection, type LoadWindow } from './lib/profile-table.ts';
import { fmt, mb, median } from './lib/stats.ts';
import { searchTraceIds, traceSpanCount } from './lib/tempo-client.ts';
import { SECTION_TITLES } from './lib/report-file.ts';
import type { BenchSection } from './lib/section.ts';
import { sinkStats, startSink, type SinkProcess, type SinkStats } from './lib/sink.ts';
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

// 14 variants × (7 s measured + 1 s re-warm + ~2 s starting autocannon) × 4 rounds, plus 3 rounds
// of start-up: ~12 minutes on two cores.
export const CHAIN_DEFAULTS: ChainOptions = { connections: 20, warmupSeconds: 6, rewarmSeconds: 1, durationSeconds: 7, rounds: 4 };
/** Start-up rounds are at most this many (each starts six variants' services alone, one after another). */
const STARTUP_ROUNDS = 3;
export const CHAIN_QUICK: ChainOptions = { connections: 20, warmupSeconds: 2, rewarmSeconds: 1, durationSeconds: 3, rounds: 1 };

/** One measured run of one variant. */
interface Measurement {
  load: LoadResult;
  order: ProcessUsage;
  user: ProcessUsage;
  /** The backend's use over the same window (it ingests only in B and D). */
  backend: ProcessUsage;
  /** The ideal sink's (it receives only in S). */
  sink: ProcessUsage;
  machine: MachineUsage;
}

/** The table: each row a ratio of req/s between two variants (and the same by CPU per request). */
const TARGETS: ReadonlyArray<{ name: string; num: VariantId; den: VariantId; min: number; before: string; meaning: string }> = [
  { name: 'S/A', num: 'S', den: 'A', min: 0.9, before: '0.61', meaning: 'traced / untraced, remote backend (an ideal sink on the same machine, its own process)' },
  { name: 'C/A', num: 'C', den: 'A', min: 0.95, before: '0.69', meaning: 'traced / untraced, backend down' },
  { name: 'B/A', num: 'B', den: 'A', min: 0.8, before: '0.58', meaning: 'traced / untraced, `zeroscope up` ingesting on the same cores (the demo)' },
  { name: 'B/D', num: 'B', den: 'D', min: 2.5, before: '1.45', meaning: 'traced zeroscope / Express + OTel auto-instrumentation (both → `zeroscope up`)' },
  { name: 'A/E', num: 'A', den: 'E', min: 0.9, before: '0.81', meaning: 'untraced zeroscope / bare Fastify + grpc-js' },
];

/** Ratios with no target that say where the tracing cost goes (F is a diagnostic variant). */
const DIAGNOSTICS: ReadonlyArray<{ name: string; num: VariantId; den: VariantId; meaning: string }> = [
  { name: 'P/A', num: 'P', den: 'A', meaning: 'the trace context carried on both hops (context manager, W3C headers, unrecorded spans), no span recorded: the floor under S/A and C/A' },
  { name: 'S/P', num: 'S', den: 'P', meaning: 'recording and exporting the three spans, beyond carrying the context' },
  { name: 'S/C', num: 'S', den: 'C', meaning: 'exporting for real (to a receiver doing nothing) vs failing to export' },
  { name: 'B/S', num: 'B', den: 'S', meaning: 'the backend ingesting on the same cores vs an ideal receiver' },
  { name: 'F/A', num: 'F', den: 'A', meaning: 'context propagation alone (AsyncLocalStorage on this Node), no span made' },
  { name: 'C/F', num: 'C', den: 'F', meaning: 'the three spans and their (failing) export, beyond context propagation' },
  { name: 'B/G', num: 'B', den: 'G', meaning: 'traced, compiled JavaScript vs the same TypeScript through tsx' },
  { name: 'A/H', num: 'A', den: 'H', meaning: 'untraced, compiled JavaScript vs the same TypeScript through tsx' },
];

/** The goals for one service's idle RSS and start-up. */
const IDLE_RSS_GOAL_MB = 80;
const STARTUP_GOAL_MS = 300;

/** The Node 24 twin of a Node 20 variant id. */
const on24 = (id: VariantId): VariantId => `${id}24` as VariantId;

async function measure(variant: RunningVariant, pids: { backend: number; sink: number }, options: ChainOptions, warmSeconds: number, windows: LoadWindow[]): Promise<Measurement> {
  const base = { url: variant.orderUrl, connections: options.connections };
  if (warmSeconds > 0) await runLoad({ ...base, durationSeconds: warmSeconds });
  const sampler = sampleUsage([variant.order.pid, variant.user.pid, pids.backend, pids.sink]);
  const from = monotonicMicros();
  const load = await runLoad({ ...base, durationSeconds: options.durationSeconds });
  const to = monotonicMicros();
  const { processes, machine } = sampler.stop();
  const [order, user] = [processes[variant.order.pid], processes[variant.user.pid]];
  const us = (seconds: number | undefined) => (seconds ?? 0) * 1e6;
  windows.push({
    variant: variant.id,
    pids: [variant.order.pid, variant.user.pid],
    fromUs: from,
    toUs: to,
    requests: load.total,
    mainCpuUs: [us(order.mainThreadCpuSeconds), us(user.mainThreadCpuSeconds)],
    allCpuUs: [us(order.cpuSeconds), us(user.cpuSeconds)],
  });
  return { load, order, user, backend: processes[pids.backend], sink: processes[pids.sink], machine };
}

/** CLOCK_MONOTONIC in µs: the clock V8 stamps `--cpu-prof` samples with, so windows and samples line up. */
function monotonicMicros(): number {
  return Number(process.hrtime.bigint() / 1000n);
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

/**
 * Runs the chain benchmark and returns its report section; `profileDir` turns on `--cpu-prof` for
 * every process and adds the profile table ("where the microseconds of a traced request go").
 */
export async function runChain(options: ChainOptions, profileDir?: string, only: readonly VariantId[] = DEFAULT_VARIANTS): Promise<BenchSection> {
  const node24 = only.some((id) => variantSpec(id).node === 24) ? tryNode24() : undefined;
  const skipped = node24 ? [] : only.filter((id) => variantSpec(id).node === 24);
  const chosen = VARIANTS.filter((v) => only.includes(v.id) && !skipped.includes(v.id));
  const workDir = await makeTempDir('chain');
  const running: RunningVariant[] = [];
  let backend: BackendProcess | undefined;
  let sink: SinkProcess | undefined;
  try {
    const nodeArgs = profileDir ? ['--cpu-prof', `--cpu-prof-dir=${join(profileDir, 'chain-backend')}`] : undefined;
    backend = await startBackendProcess({ dataDir: join(workDir, 'data'), nodeArgs });
    sink = await startSink();
    const targets: ChainTargets = {
      backendHostPort: new URL(backend.otlpHttpTraces).host,
      sinkHostPort: sink.hostPort,
      downHostPort: `127.0.0.1:${await freePort()}`,
      node24,
      workDir,
      profileDir,
    };
    // Start-up under the profiler measures the profiler: left out of a profiled run.
    const startup = profileDir ? new Map<VariantId, StartupSample[]>() : await measureStartup(targets, Math.min(options.rounds, STARTUP_ROUNDS), chosen.map((v) => v.id));
    log(`chain: starting variants ${chosen.map((v) => v.id).join(' ')}`);
    // Started together (start-up is mostly module loading); a failure still leaves the others in
    // `running`, so the finally block stops them.
    const started = await Promise.allSettled(chosen.map((spec) => startVariant(spec.id, targets)));
    for (const result of started) if (result.status === 'fulfilled') running.push(result.value);
    const failed = started.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failed) throw failed.reason;
    const results = new Map<VariantId, Measurement[]>(chosen.map((v) => [v.id, []]));
    const windows: LoadWindow[] = [];
    const pids = { backend: backend.child.pid, sink: sink.child.pid };
    for (let round = 1; round <= options.rounds; round++) {
      for (const variant of running) {
        const warm = round === 1 ? options.warmupSeconds : options.rewarmSeconds;
        const m = await measure(variant, pids, options, warm, windows);
        results.get(variant.id)!.push(m);
        log(`chain: round ${round}/${options.rounds} ${variant.id}: ${fmt(m.load.requestsPerSecond)} req/s, p99 ${m.load.p99Ms} ms`);
      }
    }
    const spans = new Map<VariantId, number>();
    for (const spec of chosen) if (spec.serviceNames) spans.set(spec.id, await settledSpansPerRequest(backend, spec.serviceNames.order));
    // The sink sees only S's exports: none means S ran untraced, and its ratios would mean nothing.
    const received = await sinkStats(sink);
    if (chosen.some((v) => v.base === 'S') && received.requests === 0) throw new Error('the ideal sink received no export: variant S did not export its spans');
    const section = report(options, results, spans, startup, skipped, received);
    if (!profileDir) return section;
    // The services write their profiles as they exit.
    await stopAll(running.flatMap((v) => [v.order, v.user]));
    return { ...section, extra: [profileSection(profileDir, windows)] };
  } finally {
    await stopAll(running.flatMap((v) => [v.order, v.user]));
    await sink?.child.stop();
    await backend?.child.stop();
    await removeTempDir(workDir);
  }
}

/** Node 24's binary, installed on first use; undefined (and said why) when it cannot be. */
function tryNode24(): string | undefined {
  try {
    return node24Binary();
  } catch (err) {
    log(`chain: Node 24 unavailable, its variants are left out: ${(err as Error).message.split('\n')[0]}`);
    return undefined;
  }
}

/** The variants whose start-up and idle memory are measured: untraced, traced, bare Fastify (and their Node 24 twins). */
const STARTUP_VARIANTS: readonly VariantId[] = ['A', 'S', 'E', 'A24', 'S24', 'E24'];
const IDLE_SETTLE_MS = 1500;

interface StartupSample {
  startupMs: { order: number; user: number };
  startupCpuMs: { order?: number; user?: number };
  idleRss: { order?: number; user?: number };
}

/**
 * Starts each of STARTUP_VARIANTS that was chosen alone, `rounds` times in turn (nothing else
 * running but the backend and the sink): time from spawn until each service accepts connections,
 * the CPU it used until then, and its RSS once idle.
 */
async function measureStartup(targets: ChainTargets, rounds: number, chosen: readonly VariantId[]): Promise<Map<VariantId, StartupSample[]>> {
  const ids = STARTUP_VARIANTS.filter((id) => chosen.includes(id));
  const samples = new Map<VariantId, StartupSample[]>(ids.map((id) => [id, []]));
  for (let round = 1; round <= rounds; round++) {
    for (const id of ids) {
      const variant = await startVariant(id, targets);
      try {
        await sleep(IDLE_SETTLE_MS);
        samples.get(id)!.push({
          startupMs: variant.startupMs,
          startupCpuMs: variant.startupCpuMs,
          idleRss: { order: rssBytes(variant.order.pid), user: rssBytes(variant.user.pid) },
        });
      } finally {
        await stopAll([variant.order, variant.user]);
      }
    }
    if (ids.length) log(`chain: start-up round ${round}/${rounds} done`);
  }
  return samples;
}

function report(
  options: ChainOptions,
  results: Map<VariantId, Measurement[]>,
  spans: Map<VariantId, number>,
  startup: Map<VariantId, StartupSample[]>,
  skipped: readonly VariantId[],
  received: SinkStats,
): BenchSection {
  const med = (id: VariantId, pick: (m: Measurement) => number | undefined) =>
    results.has(id) ? median(results.get(id)!.map(pick).filter((v): v is number => v !== undefined)) : NaN;
  const cpuPerRequest = (m: Measurement, which: 'order' | 'user' | 'backend' | 'sink') => {
    const cpu = m[which].cpuSeconds;
    const requests = m.load.requestsPerSecond * m.load.durationSeconds;
    return cpu === undefined || requests === 0 ? undefined : (cpu * 1e6) / requests;
  };
  /** Where a variant's spans are received: the backend's or the sink's CPU is shown beside its services'. */
  const receiver = (id: VariantId) => {
    const to = variantSpec(id).spansTo;
    return to === 'backend' ? ('backend' as const) : to === 'sink' ? ('sink' as const) : undefined;
  };
  const chosen = VARIANTS.filter((v) => results.has(v.id));
  const rows = chosen.map((v) => {
    const r = receiver(v.id);
    return [
      v.id,
      v.label,
      fmt(med(v.id, (m) => m.load.requestsPerSecond)),
      fmt(med(v.id, (m) => m.load.p50Ms), 1),
      fmt(med(v.id, (m) => m.load.p99Ms), 1),
      mb(med(v.id, (m) => m.order.peakRss)),
      mb(med(v.id, (m) => m.user.peakRss)),
      fmt(med(v.id, (m) => cpuPerRequest(m, 'order'))),
      fmt(med(v.id, (m) => cpuPerRequest(m, 'user'))),
      r ? `${fmt(med(v.id, (m) => cpuPerRequest(m, r)))} (${r})` : '–',
      fmt(med(v.id, (m) => m.machine.idlePercent)),
      v.serviceNames ? fmt(spans.get(v.id)) : '–',
      fmt(results.get(v.id)!.reduce((n, m) => n + m.load.failures, 0)),
    ];
  });
  /** Median over rounds of the per-round ratio of req/s (rounds are interleaved, so each pair ran side by side). */
  const ratioOf = (num: VariantId, den: VariantId): number => {
    const a = results.get(num);
    const b = results.get(den);
    return a && b ? median(a.map((m, i) => m.load.requestsPerSecond / b[i].load.requestsPerSecond)) : NaN;
  };
  /** The lowest and highest per-round ratio of req/s: how far one round strays on a shared machine. */
  const ratioSpread = (num: VariantId, den: VariantId): string => {
    const a = results.get(num);
    const b = results.get(den);
    if (!a || !b || a.length < 2) return '';
    const per = a.map((m, i) => m.load.requestsPerSecond / b[i].load.requestsPerSecond);
    return ` (${fmt(Math.min(...per), 2)}–${fmt(Math.max(...per), 2)})`;
  };
  /** CPU µs per request of both services. */
  const servicesCost = (id: VariantId) => med(id, (m) => cpuPerRequest(m, 'order')) + med(id, (m) => cpuPerRequest(m, 'user'));
  /**
   * What a request costs a variant: both services' CPU, plus the backend's where it ingests on
   * the same cores (B, D). The ideal sink's is left out: it stands for a backend elsewhere.
   */
  const cost = (id: VariantId) => servicesCost(id) + (receiver(id) === 'backend' ? med(id, (m) => cpuPerRequest(m, 'backend')) : 0);
  /**
   * The same comparison by cost, the denominator's CPU per request over the numerator's: what the
   * req/s ratio would be if the machine were CPU-bound and shared fairly; it moves less than
   * req/s when other work lands on the machine.
   */
  const costRatioOf = (num: VariantId, den: VariantId) => cost(den) / cost(num);
  const status = (value: number, goal: number, atLeast: boolean) =>
    !Number.isFinite(value) ? '–' : (atLeast ? value >= goal : value <= goal) ? 'met' : `missed by ${fmt(Math.abs(goal - value), atLeast && goal < 10 ? 3 : 0)}`;
  const bothNodes = (make: (node: 20 | 24) => string[]) => [...make(20), ...make(24)];
  const idFor = (id: VariantId, node: 20 | 24) => (node === 20 ? id : on24(id));
  const ratioRows = TARGETS.map((t) => [
    t.meaning,
    t.before,
    `≥ ${fmt(t.min, 2)}`,
    ...bothNodes((node) => {
      const [num, den] = [idFor(t.num, node), idFor(t.den, node)];
      // Three decimals: a ratio that rounds to the target must not read "missed by 0.00".
      return [fmt(ratioOf(num, den), 3) + ratioSpread(num, den), fmt(costRatioOf(num, den), 3), status(ratioOf(num, den), t.min, true)];
    }),
  ]);
  /** CPU per span made and exported: what tracing adds to both services' CPU per request, over the spans a request makes. */
  const perSpan = (traced: VariantId, untraced: VariantId, spansFrom: VariantId) => (servicesCost(traced) - servicesCost(untraced)) / (spans.get(spansFrom) ?? NaN);
  const startMed = (id: VariantId, pick: (s: StartupSample) => number | undefined) =>
    startup.has(id) ? median(startup.get(id)!.map(pick).filter((v): v is number => v !== undefined)) : NaN;
  /** The worse of the two services. */
  const worst = (id: VariantId, pick: (s: StartupSample, service: 'order' | 'user') => number | undefined) =>
    Math.max(startMed(id, (s) => pick(s, 'order')), startMed(id, (s) => pick(s, 'user')));
  const spanRow = [
    'CPU per span made and exported, µs (order + user, S − A over the spans of B)',
    '38',
    '≤ 8',
    ...bothNodes((node) => {
      const v = perSpan(idFor('S', node), idFor('A', node), idFor('B', node));
      return [fmt(v, 1), '', status(v, 8, false)];
    }),
  ];
  const recordedSpanRow = [
    'the part of it a span owns: recorded and exported, beyond carrying the context (S − P over the spans of B), µs',
    '–',
    '–',
    ...bothNodes((node) => [fmt(perSpan(idFor('S', node), idFor('P', node), idFor('B', node)), 1), '', '']),
  ];
  const expressSpanRow = [
    'the same for Express + OTel auto-instrumentation (D − E over the spans of D), µs',
    '31',
    '–',
    ...bothNodes((node) => [fmt(perSpan(idFor('D', node), idFor('E', node), idFor('D', node)), 1), '', '']),
  ];
  const rssRow = [
    'idle RSS per service, MB (traced S, the larger service; untraced A in brackets)',
    '145 (tsx) / 95–102',
    `≤ ${IDLE_RSS_GOAL_MB}`,
    ...bothNodes((node) => {
      const v = worst(idFor('S', node), (s, w) => s.idleRss[w]) / 1_048_576;
      const a = worst(idFor('A', node), (s, w) => s.idleRss[w]) / 1_048_576;
      return [`${fmt(v, 1)} (${fmt(a, 1)})`, '', status(v, IDLE_RSS_GOAL_MB, false)];
    }),
  ];
  const startRow = [
    'start-up per service, ms wall / CPU ms (traced S, the slower service)',
    '700 (tsx) / 480–510',
    `≤ ${STARTUP_GOAL_MS}`,
    ...bothNodes((node) => {
      const v = worst(idFor('S', node), (s, w) => s.startupMs[w]);
      return [fmt(v), fmt(worst(idFor('S', node), (s, w) => s.startupCpuMs[w])), status(v, STARTUP_GOAL_MS, false)];
    }),
  ];
  const settings = `${options.connections} connections, ${options.durationSeconds} s measured per run, warm-up ${options.warmupSeconds} s (round 1) / ${options.rewarmSeconds} s (later rounds), ${options.rounds} round(s) interleaved ${chosen.map((v) => v.id).join(' ')}`;
  const chain = renderTable({
    title: 'Chain: GET /api/order/1, order (HTTP) → user (gRPC)',
    head: ['', 'variant', 'req/s', 'p50 ms', 'p99 ms', 'RSS order MB', 'RSS user MB', 'CPU order µs/req', 'CPU user µs/req', 'CPU receiver µs/req', 'machine idle %', 'spans/req', 'failed'],
    rows,
    notes: [
      `Medians over rounds; ${settings}.`,
      'RSS is the peak sampled during the measured run; CPU is the user+system time of each process during the run',
      'divided by completed requests (the receiver: `zeroscope up` for B and D, the ideal sink for S); machine idle is the',
      'share of both cores left unused during the run; spans/req is read back from the backend (largest of the last traces).',
      'autocannon, the backend and the sink run on the same two cores as the services.',
      ...(received.requests ? [`The sink received ${fmt(received.requests)} exports (${mb(received.bytes)} MB) over the run.`] : []),
      ...(skipped.length ? [`Left out: ${skipped.join(' ')} (Node 24 could not be installed).`] : []),
    ],
  });
  const goals = renderTable({
    title: "The issue's table: measured on Node 20 and Node 24 in one run",
    head: ['measure', 'issue (before)', 'goal', 'Node 20 req/s', 'Node 20 by CPU', 'Node 20', 'Node 24 req/s', 'Node 24 by CPU', 'Node 24'],
    rows: [...ratioRows, spanRow, recordedSpanRow, expressSpanRow, rssRow, startRow],
    notes: [
      '"req/s": median of the per-round ratios of req/s (lowest–highest round in brackets). "By CPU": the same ratio from what a request costs instead, the CPU',
      'µs/req of both services (plus `zeroscope up` where it ingests: B, D) of the denominator over the numerator\'s; it leaves out',
      'autocannon and the sink, and is what req/s would show on a CPU-bound machine shared fairly. CPU per span: both services\'',
      'CPU µs/req traced (S) minus untraced (A), over the spans one request makes (read back from B, the same code and config);',
      'P is S with `Sampler: 0`: every span is a non-recording one whose context still travels, so S − P is what recording and',
      'exporting cost, and P/A (below) the floor that carrying the context alone puts under S/A and C/A.',
      'Start-up: from spawn until the service accepts TCP connections, and the CPU it used until then; idle RSS',
      `${IDLE_SETTLE_MS / 1000} s later, after the one request that checks the chain and before any load (each variant started alone, medians over the rounds).`,
      'The compiled zeroscope variants start with the `zeroscope/compile-cache` preload, as a scaffold\'s `npm start` does (it acts on Node ≥ 22.1);',
      'Express (D) and Fastify (E) start without it.',
    ],
  });
  const measured = (r: { num: VariantId; den: VariantId }) => results.has(r.num) && results.has(r.den);
  const diagnosticRows = DIAGNOSTICS.filter((d) => measured(d) || measured({ num: on24(d.num), den: on24(d.den) })).map((d) => [
    d.name,
    fmt(ratioOf(d.num, d.den), 3) + ratioSpread(d.num, d.den),
    fmt(ratioOf(on24(d.num), on24(d.den)), 3) + ratioSpread(on24(d.num), on24(d.den)),
    d.meaning,
  ]);
  const nodeRows = (['A', 'S', 'C', 'B', 'D', 'E'] as const)
    .filter((id) => results.has(id) && results.has(on24(id)))
    .map((id) => [id, fmt(ratioOf(on24(id), id), 3), fmt(costRatioOf(on24(id), id), 3)]);
  const diagnostics = renderTable({
    title: 'Where the tracing cost goes (ratios of req/s, lowest–highest round in brackets; no target)',
    head: ['ratio', 'Node 20', 'Node 24', 'meaning'],
    rows: diagnosticRows,
  });
  const nodeTable = renderTable({
    title: 'Node 24 against Node 20, same variant (req/s ratio, and by CPU)',
    head: ['variant', 'req/s 24/20', 'by CPU 24/20'],
    rows: nodeRows,
  });
  const startupTable = renderTable({
    title: 'Start-up and idle memory (each variant started alone, medians over the rounds)',
    head: ['variant', 'runs', 'user start-up ms', 'order start-up ms', 'user start-up CPU ms', 'order start-up CPU ms', 'user idle RSS MB', 'order idle RSS MB'],
    rows: [...startup.keys()].map((id) => [
      `${id}: ${variantSpec(id).label}`,
      String(startup.get(id)!.length),
      fmt(startMed(id, (s) => s.startupMs.user)),
      fmt(startMed(id, (s) => s.startupMs.order)),
      fmt(startMed(id, (s) => s.startupCpuMs.user)),
      fmt(startMed(id, (s) => s.startupCpuMs.order)),
      mb(startMed(id, (s) => s.idleRss.user)),
      mb(startMed(id, (s) => s.idleRss.order)),
    ]),
    notes: [`Start-up: from spawn until the service accepts TCP connections (and the CPU it used until then). Idle RSS: ${IDLE_SETTLE_MS / 1000} s after that, after the one request that checks the chain and before any load. The zeroscope variants start with the compile-cache preload (it acts on Node ≥ 22.1); D and E without it.`],
  });
  const tables = [
    goals,
    chain,
    ...(diagnosticRows.length ? [diagnostics] : []),
    ...(nodeRows.length ? [nodeTable] : []),
    ...(startup.size ? [startupTable] : []),
  ];
  return { id: 'chain', title: SECTION_TITLES.chain, body: tables.join('\n\n') };
}
