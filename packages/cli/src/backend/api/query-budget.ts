/**
 * Every query's budget, and its end when the client goes away. The TraceQL engine pulls traces
 * from a TraceFetcher; the server wraps that fetcher once (budgetedFetcher) and runs each request
 * under its own budget (withQueryBudget), so search, tag lookups, RED and metrics share one rule
 * without any of them knowing it:
 * - between traces, the query checks whether its client has disconnected, and stops;
 * - the time spent evaluating the query on the traces it pulled (the part a hostile query
 *   controls) is charged against a CPU budget, and the whole query against a wall-clock one;
 *   past either it stops with 503, as Prometheus answers a query that timed out;
 * - after every 4 ms of reading and evaluating it yields to the event loop, so receivers keep
 *   answering while a heavy query runs.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { setImmediate as yieldToLoop } from 'node:timers/promises';
import type { FetchRequest, QueryTrace, TraceFetcher } from '../query/storage.ts';
import { QueryBudgetError, QueryCancelledError } from './errors.ts';

/** Limits of one request's queries. */
export interface QueryBudget {
  /** Evaluation time, in milliseconds, charged to the request's queries. */
  cpuMs: number;
  /** Wall-clock time, in milliseconds, from the request's start. */
  wallMs: number;
}

/** 10 s of evaluation and 60 s in all: far beyond any useful search of a local store. */
export const DEFAULT_QUERY_BUDGET: Readonly<QueryBudget> = { cpuMs: 10_000, wallMs: 60_000 };

/** How long a query holds the event loop before it lets other work (ingest) in. */
const SLICE_MS = 4;

/** One request's spending. */
class QueryRun {
  private cpuMs = 0;
  private readonly startedAt = performance.now();
  private sliceStart = performance.now();

  constructor(readonly budget: QueryBudget, readonly signal: AbortSignal) {}

  /** Throws when the client has gone or the budget is spent. */
  check(): void {
    if (this.signal.aborted) throw new QueryCancelledError();
    if (this.cpuMs > this.budget.cpuMs) throw new QueryBudgetError(`the query used more than ${this.budget.cpuMs} ms of CPU`);
    if (performance.now() - this.startedAt > this.budget.wallMs) throw new QueryBudgetError(`the query ran longer than ${this.budget.wallMs} ms`);
  }

  /** Charges `ms` of evaluation. */
  spend(ms: number): void {
    this.cpuMs += ms;
  }

  /**
   * True once the query (reading and evaluating) has held the event loop for a slice: time to
   * let other work in.
   */
  sliceOver(): boolean {
    const now = performance.now();
    if (now - this.sliceStart < SLICE_MS) return false;
    this.sliceStart = now;
    return true;
  }

  /** Called after the query yielded: the next slice starts now. */
  resumed(): void {
    this.sliceStart = performance.now();
  }
}

const current = new AsyncLocalStorage<QueryRun>();

/**
 * Runs `fn` (a request's handler) under `budget`; the request's queries stop once its response
 * closes before it was finished (the client went away).
 */
export function withQueryBudget<T>(req: IncomingMessage, res: ServerResponse, budget: QueryBudget, fn: () => Promise<T>): Promise<T> {
  const controller = new AbortController();
  const gone = (): void => {
    if (!res.writableFinished) controller.abort();
  };
  res.once('close', gone);
  req.once('aborted', gone);
  return current.run(new QueryRun(budget, controller.signal), fn);
}

/** `fetcher` with each pull checked against the budget of the request that asked (see above). */
export function budgetedFetcher(fetcher: TraceFetcher): TraceFetcher {
  return {
    fetchTraces(request: FetchRequest): AsyncIterable<QueryTrace> {
      const run = current.getStore();
      const source = fetcher.fetchTraces(request);
      return run ? budgeted(source, run) : source;
    },
  };
}

async function* budgeted(source: AsyncIterable<QueryTrace>, run: QueryRun): AsyncGenerator<QueryTrace> {
  const it = source[Symbol.asyncIterator]();
  try {
    for (;;) {
      run.check();
      const next = await it.next();
      if (next.done) return;
      // The consumer evaluates the trace synchronously until it asks for the next one.
      const evaluating = performance.now();
      yield next.value;
      run.spend(performance.now() - evaluating);
      if (run.sliceOver()) {
        await yieldToLoop();
        run.resumed();
      }
    }
  } finally {
    await it.return?.();
  }
}
