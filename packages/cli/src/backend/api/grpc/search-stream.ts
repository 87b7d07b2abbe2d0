/**
 * Streaming search the way Tempo's query-frontend does it: the time range is cut into jobs, the
 * jobs run newest first, a partial answer (the traces found since the last one, and the running
 * job counts Grafana draws its progress bar from) goes out at most every `progressIntervalMs`,
 * and the complete answer comes last. The search stops once `limit` traces matched.
 *
 * Each job is the ordinary search engine over a slice of the store: a trace belongs to the job
 * whose slice holds its start time, so no trace is inspected twice, and since the store yields
 * traces newest first the jobs' answers joined in order are exactly the HTTP search's answer.
 */
import type { QueryTrace, TraceFetcher } from '../../query/storage.ts';
import { BadQueryError } from '../errors.ts';
import type { SearchEngine, SearchRequest } from '../types.ts';

/** Tempo's query-frontend sends a partial answer at most this often. */
export const DEFAULT_PROGRESS_INTERVAL_MS = 500;
/** Jobs never span less than this (a short range is one job)... */
export const MIN_JOB_NANOS = 60_000_000_000n;
/** ...and a range is cut into at most this many. */
export const MAX_JOBS = 20;

/** One job: traces whose start is in [from, to); an open end is unbounded. */
export interface SearchJob {
  from?: bigint;
  to?: bigint;
}

/** The search JSON the engine answers with (the fields this module reads). */
export interface SearchResponseJson {
  traces: Array<Record<string, unknown>>;
  metrics: { inspectedTraces?: number; completedJobs?: number; totalJobs?: number };
}

export interface SearchStreamOptions {
  /** Least time between two partial answers (default {@link DEFAULT_PROGRESS_INTERVAL_MS}); 0 sends one per job. */
  progressIntervalMs?: number;
  /** Traces one streamed search inspects at most, over all its jobs; unset leaves it to the engine's per-job budget. */
  maxInspectedTraces?: number;
  /** Checked between jobs: the client went away. */
  isCancelled?: () => boolean;
}

/**
 * Cuts [start, end] into jobs, newest first. The newest job is open upwards and the oldest
 * downwards: the engine itself keeps traces that overlap the range but start before it.
 */
export function planSearchJobs(startUnixNano: bigint | undefined, endUnixNano: bigint | undefined): SearchJob[] {
  if (startUnixNano === undefined || endUnixNano === undefined || endUnixNano <= startUnixNano) return [{}];
  const span = endUnixNano - startUnixNano;
  const byLength = span / MIN_JOB_NANOS;
  const count = byLength < 1n ? 1 : byLength > BigInt(MAX_JOBS) ? MAX_JOBS : Number(byLength);
  const bounds: bigint[] = [];
  for (let i = 1; i < count; i++) bounds.push(startUnixNano + (span * BigInt(i)) / BigInt(count));
  const jobs: SearchJob[] = [];
  for (let i = count - 1; i >= 0; i--) {
    const job: SearchJob = {};
    if (i > 0) job.from = bounds[i - 1]!;
    if (i < count - 1) job.to = bounds[i]!;
    jobs.push(job);
  }
  return jobs;
}

function traceStart(trace: QueryTrace): bigint {
  let start = trace.spans[0]!.startTimeUnixNano;
  for (const span of trace.spans) if (span.startTimeUnixNano < start) start = span.startTimeUnixNano;
  return start;
}

/** The store as one job sees it, spending a budget shared by every job of the search. */
function jobFetcher(fetcher: TraceFetcher, job: SearchJob, budget: { left: number }): TraceFetcher {
  return {
    async *fetchTraces(request) {
      const narrowed = { ...request };
      if (job.to !== undefined && (request.endUnixNano === undefined || request.endUnixNano >= job.to)) {
        narrowed.endUnixNano = job.to - 1n;
      }
      for await (const trace of fetcher.fetchTraces(narrowed)) {
        if (trace.spans.length === 0) continue;
        const start = traceStart(trace);
        // A store may hand out more than asked for; a trace of a newer job is that job's.
        if (job.to !== undefined && start >= job.to) continue;
        // Newest first: everything from here on belongs to older jobs.
        if (job.from !== undefined && start < job.from) return;
        if (budget.left <= 0) return;
        budget.left--;
        yield trace;
      }
    },
  };
}

/**
 * Runs `request` as a streamed search, handing each answer to `send` (awaited, so a slow client
 * slows the search instead of buffering). Bad queries throw BadQueryError before anything is sent.
 */
export async function streamSearch(
  deps: { fetcher: TraceFetcher; engine: SearchEngine },
  request: SearchRequest,
  send: (response: SearchResponseJson) => Promise<void>,
  options: SearchStreamOptions = {},
): Promise<void> {
  const interval = options.progressIntervalMs ?? DEFAULT_PROGRESS_INTERVAL_MS;
  const jobs = planSearchJobs(request.startUnixNano, request.endUnixNano);
  const budget = { left: options.maxInspectedTraces ?? Number.POSITIVE_INFINITY };
  const found: SearchResponseJson['traces'] = [];
  let sent = 0;
  let inspectedTraces = 0;
  let completedJobs = 0;
  let lastSend = Date.now();
  const metrics = () => ({ inspectedTraces, completedJobs, totalJobs: jobs.length });

  for (const job of jobs) {
    if (options.isCancelled?.()) return;
    let answer: SearchResponseJson;
    try {
      const limit = request.limit - found.length;
      answer = (await deps.engine.search(jobFetcher(deps.fetcher, job, budget), { ...request, limit })) as SearchResponseJson;
    } catch (err) {
      if (deps.engine.isQueryError(err)) throw new BadQueryError((err as Error).message, { cause: err });
      throw err;
    }
    found.push(...answer.traces);
    inspectedTraces += answer.metrics?.inspectedTraces ?? 0;
    completedJobs++;
    if (found.length >= request.limit || budget.left <= 0) break;
    if (Date.now() - lastSend >= interval) {
      await send({ traces: found.slice(sent), metrics: metrics() });
      sent = found.length;
      lastSend = Date.now();
    }
  }
  if (options.isCancelled?.()) return;
  // The last answer is the whole result, as Tempo's is; clients keep the first copy of a trace.
  await send({ traces: found, metrics: metrics() });
}
