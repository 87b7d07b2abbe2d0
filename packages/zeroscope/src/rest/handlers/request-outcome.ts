import { performance } from 'node:perf_hooks';
import type { Dispatch, RequestContext } from '../context.ts';
import { HttpError } from '../errors.ts';
import { runNext } from '../internal/run-next.ts';

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

/** Told a request's outcome by {@link observeRequest}; built once per route, so it gets `ctx` back. */
export type OutcomeListener = (status: number, durationMs: number, ctx: RequestContext) => void;

/**
 * Runs `next(ctx)`, then tells `done` the request's status and duration, whether the handler
 * returned or threw (a throw still reaches the caller). The observing middleware (access log,
 * metrics) share this so they agree on what a request's outcome was. Plain, not async: one
 * reaction on next's promise per request.
 */
export function observeRequest(next: Dispatch, ctx: RequestContext, done: OutcomeListener): Promise<void> {
  const start = performance.now();
  return runNext(next, ctx).then(
    () => done(responseStatus(ctx, undefined), performance.now() - start, ctx),
    (err: unknown) => {
      done(responseStatus(ctx, err), performance.now() - start, ctx);
      throw err;
    },
  );
}
