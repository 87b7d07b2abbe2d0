/**
 * Issue item 3, backend queries: the store is filled to each size (straight through the store
 * API, in this process, which is what a receiver does minus the HTTP), then `zeroscope up`
 * serves it and each query is timed from the client: trace by id, `/api/search` by service +
 * minDuration, a TraceQL attribute filter and a structural query, and TraceQL metrics over the
 * last hour (`/api/metrics/query_range`: rate by service, quantiles by service). Besides latency,
 * the backend's CPU per span the query scanned (its answer's `metrics.inspectedSpans`). Sizes
 * grow in place (100k, then 900k more for 1M), so one load serves both.
 */
import { join } from 'node:path';
import { openStore } from '../packages/cli/src/backend/store/index.ts';
import type { ExportTraceServiceRequestLike as OtlpExportRequest } from '../packages/cli/src/backend/otlp/index.ts';
import { startBackendProcess } from './lib/backend.ts';
import { diskUsage } from './lib/disk-usage.ts';
import { cpuSeconds } from './lib/proc-stats.ts';
import { renderTable } from './lib/markdown.ts';
import { log } from './lib/options.ts';
import { SECTION_TITLES } from './lib/report-file.ts';
import type { BenchSection } from './lib/section.ts';
import { makeTempDir, removeTempDir } from './lib/temp-dirs.ts';
import { buildBatch, hex, SPANS_PER_TRACE, traceIdBytes } from './lib/span-factory.ts';
import { fmt, percentile } from './lib/stats.ts';

export interface QueryOptions {
  /** Store sizes in spans, ascending (flags can't give lists: `--small-spans`, `--large-spans`). */
  smallSpans: number;
  largeSpans: number;
  /** Timed requests per query (fewer if `maxSecondsPerQuery` runs out). */
  samples: number;
  maxSecondsPerQuery: number;
}

export const QUERY_DEFAULTS: QueryOptions = { smallSpans: 100_000, largeSpans: 1_000_000, samples: 200, maxSecondsPerQuery: 15 };
export const QUERY_QUICK: QueryOptions = { smallSpans: 10_000, largeSpans: 50_000, samples: 30, maxSecondsPerQuery: 3 };

const TRACES_PER_BATCH = 64;
const TARGET_TRACE_P99_MS = 20;
/** The stored traces span this window, ending now (inside the default 7-day retention). */
const WINDOW_MS = 2 * 3600_000;

/** A query of the benchmark: its label and how to build its URL path. */
interface QuerySpec {
  label: string;
  path: (traceIds: () => string) => string;
}

const search = (params: Record<string, string>) => `/api/search?${new URLSearchParams({ limit: '20', ...params })}`;
/** A metrics range query over the last hour, with Tempo's default step (15 s for an hour). */
const metrics = (q: string) => `/api/metrics/query_range?${new URLSearchParams({ q, since: '1h' })}`;
const QUERIES: readonly QuerySpec[] = [
  { label: 'trace by id `/api/traces/<id>`', path: (id) => `/api/traces/${id()}` },
  { label: 'search `tags=service.name=inventory&minDuration=900ms`', path: () => search({ tags: 'service.name=inventory', minDuration: '900ms' }) },
  { label: 'TraceQL `{ span.http.response.status_code >= 500 }`', path: () => search({ q: '{ span.http.response.status_code >= 500 }' }) },
  {
    label: 'TraceQL `{ resource.service.name = "order" } >> { resource.service.name = "user" && status = error }`',
    path: () => search({ q: '{ resource.service.name = "order" } >> { resource.service.name = "user" && status = error }' }),
  },
  { label: 'metrics, last hour: `{ } | rate() by (resource.service.name)`', path: () => metrics('{ } | rate() by (resource.service.name)') },
  {
    label: 'metrics, last hour: `{ } | quantile_over_time(duration, .5, .9, .99) by (resource.service.name)`',
    path: () => metrics('{ } | quantile_over_time(duration, .5, .9, .99) by (resource.service.name)'),
  },
];

const PREFIX = new Uint8Array([0x5b, 0xe7, 0xc4, 0x00, 0, 0, 0, 1]);
/**
 * Trace n's time slot is n × STRIDE modulo the number of traces (STRIDE is a prime that divides no
 * count used here), so the traces of each size, loaded first to last, are spread over the whole
 * window: the 100k set too has spans in the last hour that the metrics queries read.
 */
const STRIDE = 7919;

/** Pushes traces [from, to) into the store at `dataDir`, 4 requests in flight. */
async function fill(dataDir: string, fromTrace: number, toTrace: number, totalTraces: number, baseTimeMs: number): Promise<number> {
  const store = await openStore({ dataDir, retention: { sweepIntervalMs: 0 } });
  const started = performance.now();
  try {
    let next = fromTrace;
    await Promise.all(
      Array.from({ length: 4 }, async () => {
        while (next < toTrace) {
          const first = next;
          next = Math.min(toTrace, next + TRACES_PER_BATCH);
          const batch = buildBatch({
            prefix: PREFIX,
            firstTrace: first,
            traces: next - first,
            baseTimeMs,
            spacingMs: WINDOW_MS / totalTraces,
            slotOf: (t) => (t * STRIDE) % totalTraces,
          });
          await store.push(batch as unknown as OtlpExportRequest);
        }
      }),
    );
  } finally {
    await store.close();
  }
  return ((toTrace - fromTrace) * SPANS_PER_TRACE) / ((performance.now() - started) / 1000);
}

interface Timing {
  p50: number;
  p99: number;
  samples: number;
  /** Traces (search) or series (metrics) in the first answer. */
  traces: number;
  /** Backend CPU µs per span the timed runs scanned; NaN for trace by id. */
  cpuMicrosPerSpan: number;
}

interface Answer {
  traces?: unknown[];
  series?: unknown[];
  metrics?: { inspectedSpans?: string };
}

async function timeQuery(base: string, spec: QuerySpec, pickId: () => string, options: QueryOptions, backendPid: number): Promise<Timing> {
  const latencies: number[] = [];
  let traces = 0;
  let scanned = 0;
  const get = async () => {
    const url = base + spec.path(pickId);
    const started = performance.now();
    const res = await fetch(url);
    const body = await res.text();
    const ms = performance.now() - started;
    if (!res.ok) throw new Error(`GET ${url}: ${res.status} ${body.slice(0, 300)}`);
    if (url.includes('/api/traces/')) return { ms, hits: 1, spans: 0 };
    const answer = JSON.parse(body) as Answer;
    return { ms, hits: answer.traces?.length ?? answer.series?.length ?? 0, spans: Number(answer.metrics?.inspectedSpans ?? 0) };
  };
  // Untimed warm-up: 3 requests, or fewer when one takes long (slow queries at 1M spans).
  const warmUntil = performance.now() + 1000;
  for (let i = 0; i < 3 && (i === 0 || performance.now() < warmUntil); i++) await get();
  const deadline = performance.now() + options.maxSecondsPerQuery * 1000;
  // Requests run one at a time, so the backend's CPU in between is these queries' (plus its idle timers).
  const cpuBefore = cpuSeconds(backendPid) ?? NaN;
  while (latencies.length < options.samples && (latencies.length === 0 || performance.now() < deadline)) {
    const { ms, hits, spans } = await get();
    if (latencies.length === 0) traces = hits;
    scanned += spans;
    latencies.push(ms);
  }
  const cpu = (cpuSeconds(backendPid) ?? NaN) - cpuBefore;
  return {
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
    samples: latencies.length,
    traces,
    cpuMicrosPerSpan: scanned > 0 ? (cpu * 1e6) / scanned : NaN,
  };
}

/** Runs the query benchmark and returns its report section. */
export async function runQuery(options: QueryOptions): Promise<BenchSection> {
  const dir = await makeTempDir('query');
  const dataDir = join(dir, 'data');
  const sizes = [options.smallSpans, options.largeSpans];
  const totalTraces = Math.ceil(options.largeSpans / SPANS_PER_TRACE);
  const baseTimeMs = Date.now() - WINDOW_MS;
  const results: Array<{ spans: number; timings: Timing[]; diskBytes: number; loadRate: number }> = [];
  try {
    let loaded = 0;
    for (const spans of sizes) {
      const traces = Math.ceil(spans / SPANS_PER_TRACE);
      log(`query: loading ${fmt((traces - loaded) * SPANS_PER_TRACE)} spans (to ${fmt(traces * SPANS_PER_TRACE)})`);
      // Every size spreads over the whole window (see STRIDE), so later sizes interleave with earlier ones.
      const loadRate = await fill(dataDir, loaded, traces, totalTraces, baseTimeMs);
      loaded = traces;
      const disk = await diskUsage(dataDir);
      const backend = await startBackendProcess({ dataDir });
      try {
        const pickId = () => hex(traceIdBytes(PREFIX, Math.floor(Math.random() * loaded)));
        const timings: Timing[] = [];
        for (const spec of QUERIES) {
          const timing = await timeQuery(backend.query, spec, pickId, options, backend.child.pid);
          timings.push(timing);
          log(
            `query: ${fmt(loaded * SPANS_PER_TRACE)} spans, ${spec.label}: p50 ${fmt(timing.p50, 1)} ms, p99 ${fmt(timing.p99, 1)} ms, ` +
              `${fmt(timing.cpuMicrosPerSpan, 2)} CPU µs per scanned span (${timing.samples} samples)`,
          );
        }
        results.push({ spans: loaded * SPANS_PER_TRACE, timings, diskBytes: disk.allocated, loadRate });
      } finally {
        await backend.child.stop();
      }
    }
  } finally {
    await removeTempDir(dir);
  }
  return report(options, results);
}

function report(options: QueryOptions, results: Array<{ spans: number; timings: Timing[]; diskBytes: number; loadRate: number }>): BenchSection {
  const head = [
    'query',
    ...results.flatMap((r) => [`p50 ms @ ${fmt(r.spans)}`, `p99 ms @ ${fmt(r.spans)}`, `CPU µs / scanned span @ ${fmt(r.spans)}`, `hits / runs @ ${fmt(r.spans)}`]),
  ];
  const rows = QUERIES.map((q, i) => [
    q.label,
    ...results.flatMap((r) => {
      const t = r.timings[i];
      return [fmt(t.p50, 1), fmt(t.p99, 1), Number.isNaN(t.cpuMicrosPerSpan) ? '–' : fmt(t.cpuMicrosPerSpan, 2), `${fmt(t.traces)} / ${t.samples}`];
    }),
  ]);
  rows.push(['disk bytes per span', ...results.flatMap((r) => [fmt(r.diskBytes / r.spans), '', '', ''])]);
  const last = results[results.length - 1];
  const traceP99 = last?.timings[0].p99 ?? NaN;
  const table = renderTable({
    title: 'Queries against `zeroscope up` (latency seen by an HTTP client on the same machine)',
    head,
    rows,
    notes: [
      `Traces of 8 spans over 3 services spread across the last 2 hours; each query runs up to ${options.samples} times in a row`,
      `(fewer once ${options.maxSecondsPerQuery} s have passed; "runs" says how many) after up to 3 untimed runs; trace ids are random`,
      'stored ones; searches use limit=20 and "hits" is how many traces the first answered. With few runs, p99 is the slowest.',
      'Metrics queries ask `/api/metrics/query_range` for the last hour (`since=1h`, default 15 s step), which holds about half',
      'the stored spans; their "hits" are series. CPU per scanned span is the backend process\'s CPU during the timed runs over the',
      'spans its answers say they inspected (`metrics.inspectedSpans`); searches stop at their limit, so they scan fewer.',
      'Disk is the allocated size of the data dir (lmdb).',
      `Loaded straight through the store API at ${results.map((r) => `${fmt(r.loadRate)} spans/s`).join(' then ')}.`,
      '',
      `Target: trace by id p99 < ${TARGET_TRACE_P99_MS} ms at ${fmt(last?.spans)} spans: ${traceP99 < TARGET_TRACE_P99_MS ? 'met' : 'missed'} (${fmt(traceP99, 1)} ms).`,
    ],
  });
  return { id: 'query', title: SECTION_TITLES.query, body: table };
}
