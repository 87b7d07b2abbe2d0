import { performance } from 'node:perf_hooks';
import { logAccess } from '../../log/index.ts';
import type { Middleware, RequestContext } from '../context.ts';
import { HttpError } from '../errors.ts';

/**
 * One access log line per request (go-zero's LogHandler): method, route template, path, status
 * and duration, written when the handler is done, inside the request's span so the line carries
 * its `trace_id`. 5xx are logged at error and requests past `Log.SlowThreshold` as `slowcall`
 * even when `Log.Stat` turns the per-request lines off.
 *
 * @example
 *   const accessLog = accessLogHandler(); // wired by chain.ts when Middlewares.Log is on
 */
export function accessLogHandler(): Middleware {
  return function accessLog(next, route) {
    return async function logged(ctx) {
      const start = performance.now();
      let failure: unknown;
      try {
        await next(ctx);
      } catch (err) {
        failure = err;
        throw err;
      } finally {
        const status = responseStatus(ctx, failure);
        logAccess({
          kind: 'http',
          method: ctx.req.method ?? '',
          route: route.path,
          path: ctx.path,
          status,
          durationMs: performance.now() - start,
          failed: status >= 500,
        });
      }
    };
  };
}

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
