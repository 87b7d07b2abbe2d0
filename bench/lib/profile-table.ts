/**
 * "Where the microseconds of a traced request go": the chain's services' `.cpuprofile` files
 * (`--profile=DIR`) turned into self time by category per request, traced minus untraced.
 *
 * A sample's time goes to the innermost frame that names a category; frames that name none (V8
 * built-ins, Node's generic internals such as timers and task queues) hand their time to their
 * caller. Node's own http and stream internals under the span exporter count as "HTTP send", not as
 * the server's node:http. Only samples inside the measured load windows count (V8 stamps samples
 * with CLOCK_MONOTONIC, the clock the bench reads windows from), divided by the requests served in
 * them, so start-up, warm-up and idle time stay out.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { VariantId } from './chain-variants.ts';
import { renderTable } from './markdown.ts';
import type { BenchSection } from './section.ts';
import { fmt } from './stats.ts';

/** One measured run of a variant: which processes served it, when, and how many requests. */
export interface LoadWindow {
  variant: VariantId;
  /** The order and user processes. */
  pids: [number, number];
  fromUs: number;
  toUs: number;
  requests: number;
  /** CPU µs of each of `pids` over the window from /proc: its main thread, and all its threads. */
  mainCpuUs: [number, number];
  allCpuUs: [number, number];
}

export const CATEGORIES = [
  'SDK span',
  'attributes',
  'propagation (W3C inject/extract)',
  'tracing middlewares (zeroscope)',
  'processor/queue',
  'OTLP encode',
  'HTTP send',
  'context manager',
  'grpc-js (and http2)',
  'node:http (and net, streams)',
  'framework middlewares',
  'app and logging',
  'GC',
  'other',
  'other threads (GC helpers, I/O pool, profiler)',
] as const;
export type Category = (typeof CATEGORIES)[number];

interface CpuProfile {
  nodes: Array<{ id: number; callFrame: { functionName: string; url: string }; children?: number[] }>;
  startTime: number;
  samples: number[];
  timeDeltas: number[];
}

const pkg = (url: string, name: string) => url.includes(`/node_modules/${name}/`);

/** The category a frame names, or undefined when it hands its time to its caller. */
export function classifyFrame(functionName: string, url: string): Category | undefined {
  if (functionName === '(garbage collector)') return 'GC';
  if (functionName === '(program)') return 'other';
  if (url === '') return undefined;
  // Context propagation: the OTel context manager, and AsyncLocalStorage underneath it (async_hooks
  // on Node 20, AsyncContextFrame on Node 24).
  if (pkg(url, '@opentelemetry/context-async-hooks') || /^node:(internal\/)?async_(hooks|local_storage|context_frame)/.test(url) || url.startsWith('node:internal/async_local_storage')) {
    return 'context manager';
  }
  if (pkg(url, '@opentelemetry/otlp-transformer') || pkg(url, 'protobufjs') || url.includes('/node_modules/@protobufjs/') || /zeroscope\/(dist|src)\/trace\/.*(encode|otlp-proto|protobuf)/.test(url)) {
    return 'OTLP encode';
  }
  if (pkg(url, '@opentelemetry/otlp-exporter-base') || url.includes('/node_modules/@opentelemetry/exporter-trace-otlp') || /zeroscope\/(dist|src)\/trace\/(exporters|export-|retry-after|tls)/.test(url)) {
    return 'HTTP send';
  }
  if (/sdk-trace(-base)?\/build\/(src|esm|esnext)\/(platform\/node\/)?export\//.test(url) || /sdk-trace(-base)?\/build\/(src|esm|esnext)\/MultiSpanProcessor/.test(url) || /zeroscope\/(dist|src)\/trace\/(span-queue|export-guard|export-stats)/.test(url)) return 'processor/queue';
  if (/\/(core\/build\/(src|esm|esnext)\/common\/attributes|semantic-conventions\/)/.test(url) || /zeroscope\/(dist|src)\/trace\/(attributes|semconv)/.test(url) || (/\/@opentelemetry\/sdk-trace(-base)?\//.test(url) && /ttribute/.test(functionName))) {
    return 'attributes';
  }
  if (/(propagator|propagation|trace\/W3CTraceContext|baggage)/i.test(url) && url.includes('/@opentelemetry/')) return 'propagation (W3C inject/extract)';
  if (/zeroscope\/(dist|src)\/trace\/propagators/.test(url)) return 'propagation (W3C inject/extract)';
  if (url.includes('/node_modules/@opentelemetry/') || /zeroscope\/(dist|src)\/trace\//.test(url)) return 'SDK span';
  if (/zeroscope\/(dist|src)\/(rest\/handlers\/tracing|rpc\/(server|client)interceptors\/tracing)/.test(url)) return 'tracing middlewares (zeroscope)';
  if (pkg(url, '@grpc/grpc-js') || /^node:(internal\/)?http2/.test(url)) return 'grpc-js (and http2)';
  if (/^node:(_http_|http$|https$|net$|internal\/(http|net|stream_base|streams\/|child_process)|stream$|internal\/streams)/.test(url) || /^node:(internal\/)?(dns|tls|tcp)/.test(url)) {
    return 'node:http (and net, streams)';
  }
  if (/zeroscope\/(dist|src)\/(rest|rpc|load|service|metrics)\//.test(url) || pkg(url, 'find-my-way') || pkg(url, 'fastify') || pkg(url, 'express') || pkg(url, 'router') || pkg(url, 'cockatiel') || pkg(url, 'prom-client')) {
    return 'framework middlewares';
  }
  if (/\/(examples|alternatives|\.alternatives-js)\//.test(url) || /zeroscope\/(dist|src)\/log\//.test(url) || pkg(url, 'pino') || pkg(url, 'sonic-boom') || pkg(url, 'thread-stream') || url.includes('/node_modules/')) {
    return 'app and logging';
  }
  return undefined;
}

/** Self µs by category of one profile, over the samples inside `windows`. */
function categoryTime(profile: CpuProfile, windows: readonly LoadWindow[]): Map<Category, number> {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const memo = new Map<number, Category | null>();
  const categoryOf = (id: number): Category | null => {
    const known = memo.get(id);
    if (known !== undefined) return known;
    const frame = byId.get(id)!.callFrame;
    if (frame.functionName === '(idle)') return memo.set(id, null), null;
    let own = classifyFrame(frame.functionName, frame.url);
    const up = parent.has(id) ? categoryOf(parent.get(id)!) : null;
    // Node's own http/net/stream work done for the exporter is the export's.
    if (own === 'node:http (and net, streams)' && (up === 'HTTP send' || up === 'OTLP encode' || up === 'processor/queue')) own = 'HTTP send';
    const result = own ?? up ?? (parent.has(id) ? null : null);
    memo.set(id, result);
    return result;
  };
  const out = new Map<Category, number>();
  const sorted = [...windows].sort((a, b) => a.fromUs - b.fromUs);
  let t = profile.startTime;
  let w = 0;
  for (let i = 0; i < profile.samples.length; i++) {
    t += profile.timeDeltas[i];
    while (w < sorted.length && sorted[w].toUs < t) w++;
    if (w >= sorted.length) break;
    if (t < sorted[w].fromUs) continue;
    const category = categoryOf(profile.samples[i]);
    if (category === null && byId.get(profile.samples[i])!.callFrame.functionName === '(idle)') continue;
    const c = category ?? 'other';
    out.set(c, (out.get(c) ?? 0) + profile.timeDeltas[i]);
  }
  return out;
}

/** The profile a process with `pid` wrote into `dir` (Node names it CPU.<date>.<time>.<pid>.<tid>.<seq>.cpuprofile). */
function profileOf(dir: string, pid: number): CpuProfile | undefined {
  if (!existsSync(dir)) return undefined;
  const file = readdirSync(dir).find((f) => f.endsWith('.cpuprofile') && f.split('.')[3] === String(pid));
  return file ? (JSON.parse(readFileSync(join(dir, file), 'utf8')) as CpuProfile) : undefined;
}

/**
 * µs per request by category, both services of `variant` together; undefined when it has no
 * profile. A sampling profiler's time is wall time while the thread runs or waits to run: on a
 * shared machine a descheduled thread's wait lands on whatever frame it resumes in. So the profile
 * gives each category's share of the main thread, and /proc gives the main thread's CPU over the
 * same windows; the other threads' CPU (V8's GC helpers, libuv's pool, the profiler's sampling
 * thread) is a row of its own.
 */
export function perRequestByCategory(profileDir: string, variant: VariantId, windows: readonly LoadWindow[]): Map<Category, number> | undefined {
  const mine = windows.filter((w) => w.variant === variant);
  if (!mine.length) return undefined;
  const requests = mine.reduce((n, w) => n + w.requests, 0);
  const total = new Map<Category, number>();
  let found = false;
  for (const [i, service] of (['order', 'user'] as const).entries()) {
    const profile = profileOf(join(profileDir, `chain-${variant}-${service}`), mine[0].pids[i]);
    if (!profile) continue;
    const shares = categoryTime(profile, mine);
    const sampled = [...shares.values()].reduce((a, b) => a + b, 0);
    if (sampled === 0) continue;
    found = true;
    const mainCpu = mine.reduce((n, w) => n + w.mainCpuUs[i], 0);
    const allCpu = mine.reduce((n, w) => n + w.allCpuUs[i], 0);
    for (const [c, us] of shares) total.set(c, (total.get(c) ?? 0) + (us / sampled) * mainCpu);
    const others: Category = 'other threads (GC helpers, I/O pool, profiler)';
    total.set(others, (total.get(others) ?? 0) + Math.max(0, allCpu - mainCpu));
  }
  if (!found || requests === 0) return undefined;
  return new Map([...total].map(([c, us]) => [c, us / requests]));
}

/** Pairs the table shows, traced against its untraced twin. */
const PAIRS: ReadonlyArray<{ traced: VariantId; untraced: VariantId }> = [
  { traced: 'S', untraced: 'A' },
  { traced: 'S24', untraced: 'A24' },
  { traced: 'P', untraced: 'A' },
  { traced: 'P24', untraced: 'A24' },
  { traced: 'C', untraced: 'A' },
  { traced: 'C24', untraced: 'A24' },
  { traced: 'D', untraced: 'E' },
  { traced: 'D24', untraced: 'E24' },
];

/** The profile table as a BENCHMARKS.md section (id `profile`). */
export function profileSection(profileDir: string, windows: readonly LoadWindow[]): BenchSection {
  const cache = new Map<VariantId, Map<Category, number> | undefined>();
  const of = (id: VariantId) => {
    if (!cache.has(id)) cache.set(id, perRequestByCategory(profileDir, id, windows));
    return cache.get(id);
  };
  const pairs = PAIRS.filter((p) => of(p.traced) && of(p.untraced));
  const sum = (m: Map<Category, number>) => [...m.values()].reduce((a, b) => a + b, 0);
  const rows = CATEGORIES.map((c) => [
    c,
    ...pairs.flatMap((p) => {
      const t = of(p.traced)!.get(c) ?? 0;
      const u = of(p.untraced)!.get(c) ?? 0;
      return [fmt(t, 1), fmt(t - u, 1)];
    }),
  ]);
  rows.push(['total', ...pairs.flatMap((p) => [fmt(sum(of(p.traced)!), 1), fmt(sum(of(p.traced)!) - sum(of(p.untraced)!), 1)])]);
  const body = pairs.length
    ? renderTable({
        title: 'CPU µs per request by category, order + user (shares from `--cpu-prof`, CPU from /proc, measured load windows only)',
        head: ['category', ...pairs.flatMap((p) => [`${p.traced}`, `${p.traced} − ${p.untraced}`])],
        rows,
        notes: [
          'Each sample\'s time goes to the innermost frame naming a category (V8 built-ins and Node\'s generic internals hand',
          'theirs to the caller); Node\'s http/net/stream work under the span exporter counts as HTTP send. "context manager" is',
          'the OTel context manager and AsyncLocalStorage under it: async_hooks on Node 20, AsyncContextFrame on Node 24. Each',
          'category\'s share of the main thread comes from the profile, the main thread\'s CPU from /proc over the same windows (a',
          'sampler\'s wall time counts a descheduled thread\'s wait too); other threads\' CPU is its own row. The profiler itself',
          'costs the sampled processes a few per cent.',
        ],
      })
    : '_No profile pair found (run with `--profile=DIR` and variants that include a traced variant and its untraced twin)._';
  return { id: 'profile', title: 'Where the microseconds of a traced request go', body };
}
