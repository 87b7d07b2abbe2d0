import { performance } from 'node:perf_hooks';
import type { RequestContext } from '../context.ts';
import { HttpError } from '../errors.ts';
import type { Stage, StageRun } from '../internal/stages.ts';

/**
 * The status a request ends with, seen from inside the chain: what was sent, else what the
 * thrown error will be answered with (an HttpError's status; anything else drops the
 * connection, reported as 500).
 */
export function responseStatus(ctx: RequestContext, failure: unknown): number {
  if (ctx.res.headersSent) return ctx.res.statusCode;
  if (failure === undefined) return ctx.res.statusCode;
  return failure instanceof HttpError ? failure.status : 500;
}

/** Told a request's outcome by an {@link OutcomeStage}; built once per route, so it gets `ctx` back. */
export type OutcomeListener = (status: number, durationMs: number, ctx: RequestContext) => void;

/**
 * Times the steps inside, then tells `done` the request's status and duration, whether they
 * returned or threw (a throw still goes on outward). The observing middleware (access log,
 * metrics) share this so they agree on what a request's outcome was.
 */
export class OutcomeStage implements Stage {
  constructor(private readonly done: OutcomeListener) {}

  enter(): number {
    return performance.now();
  }

  exit(start: unknown, ctx: RequestContext, run: StageRun): void {
    this.done(responseStatus(ctx, run.failed ? run.error : undefined), performance.now() - (start as number), ctx);
  }
}
