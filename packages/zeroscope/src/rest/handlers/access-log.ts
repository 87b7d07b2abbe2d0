import { httpOutcome, logAccess } from '../../log/index.ts';
import type { Middleware } from '../context.ts';
import { stagedMiddleware } from '../internal/stages.ts';
import { OutcomeStage } from './request-outcome.ts';

/**
 * One access log line per request (go-zero's LogHandler): method, route template, path, status
 * and duration, written when the handler is done, inside the request's span so the line carries
 * its `trace_id`. The level follows the outcome (`Log.AccessLevels`: 4xx and 5xx at error by
 * default, requests past `Log.SlowThreshold` as `slowcall` at warn); failed and slow requests are
 * logged even when `Log.Stat` turns the per-request lines off.
 *
 * @example
 *   const accessLog = accessLogHandler(); // wired by chain.ts when Middlewares.Log is on
 */
export function accessLogHandler(): Middleware {
  // Once per route: the per-request work is the log line itself.
  return stagedMiddleware('accessLog', (route) =>
    new OutcomeStage((status, durationMs, ctx) =>
      logAccess({
        kind: 'http',
        method: ctx.req.method ?? '',
        route: route.path,
        path: ctx.path,
        status,
        durationMs,
        outcome: httpOutcome(status),
      }),
    ),
  );
}
