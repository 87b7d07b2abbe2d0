import type { Dispatch, Middleware, RequestContext } from '../context.ts';
import { HttpError, REST_ERROR_CODES } from '../errors.ts';
import { DeadlineQueue } from '../internal/deadline-queue.ts';
import { runNext } from '../internal/run-next.ts';

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
 * Deadlines of one duration share a single timer ({@link DeadlineQueue}) instead of a
 * `setTimeout` per request.
 *
 * @example
 *   const deadline = timeoutHandler({ timeout: 3000 }); // RestConf.Timeout, wired by chain.ts
 */
export function timeoutHandler({ timeout: fallback }: TimeoutOptions): Middleware {
  // One queue per duration, shared by the routes of this factory call (one server).
  const queues = new Map<number, DeadlineQueue>();
  return function timeout(next, route) {
    const ms = route.timeout ?? fallback;
    if (!(ms > 0)) return next;
    let queue = queues.get(ms);
    if (queue === undefined) queues.set(ms, (queue = new DeadlineQueue(ms)));
    const deadlines = queue;
    return function withDeadline(ctx) {
      return race(next, ctx, deadlines);
    };
  };
}

function race(next: Dispatch, ctx: RequestContext, deadlines: DeadlineQueue): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const deadline = deadlines.add(() => {
      reject(new HttpError(503, `request timed out after ${deadlines.ms}ms`, { code: REST_ERROR_CODES.TIMEOUT }));
    });
    runNext(next, ctx).then(
      () => {
        deadlines.cancel(deadline);
        resolve();
      },
      (err: unknown) => {
        deadlines.cancel(deadline);
        reject(err);
      },
    );
  });
}
