import { performance } from 'node:perf_hooks';
import type { Dispatch, RequestContext } from '../context.ts';
import { HttpError } from '../errors.ts';

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

/**
 * Runs `next(ctx)`, then tells `done` the request's status and duration, whether the handler
 * returned or threw (a throw still reaches the caller). The observing middleware (access log,
 * metrics) share this so they agree on what a request's outcome was.
 */
export async function observeRequest(next: Dispatch, ctx: RequestContext, done: (status: number, durationMs: number) => void): Promise<void> {
  const start = performance.now();
  let failure: unknown;
  try {
    await next(ctx);
  } catch (err) {
    failure = err;
    throw err;
  } finally {
    done(responseStatus(ctx, failure), performance.now() - start);
  }
}
