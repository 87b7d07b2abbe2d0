import type { Dispatch, Middleware, RequestContext } from '../context.ts';
import { HttpError, REST_ERROR_CODES } from '../errors.ts';

/** Options of `timeoutHandler`. */
export interface TimeoutOptions {
  /** Deadline in ms for routes that set none; 0 or less means no deadline. */
  timeout: number;
}

/**
 * Answers 503 when a request is not done within its deadline (go-zero's TimeoutHandler; the
 * route's own `timeout` wins over the server's). The handler keeps running; whatever it returns
 * later is dropped, and a late error goes no further than Recover's report, since the client
 * already has its answer.
 *
 * @example
 *   const deadline = timeoutHandler({ timeout: 3000 }); // RestConf.Timeout, wired by chain.ts
 */
export function timeoutHandler({ timeout: fallback }: TimeoutOptions): Middleware {
  return function timeout(next, route) {
    const ms = route.timeout ?? fallback;
    if (!(ms > 0)) return next;
    return function withDeadline(ctx) {
      return race(next, ctx, ms);
    };
  };
}

function race(next: Dispatch, ctx: RequestContext, ms: number): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => {
      reject(new HttpError(503, `request timed out after ${ms}ms`, { code: REST_ERROR_CODES.TIMEOUT }));
    }, ms);
    next(ctx).then(
      () => {
        clearTimeout(timer);
        resolve();
      },
      (err: unknown) => {
        clearTimeout(timer);
        reject(err);
      },
    );
  });
}
