import type { Middleware, RequestContext } from '../context.ts';
import { HttpError, REST_ERROR_CODES } from '../errors.ts';
import { type Deadline, DeadlineQueue } from '../internal/deadline-queue.ts';
import { type Stage, type StageRun, stagedMiddleware } from '../internal/stages.ts';

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
  return stagedMiddleware('timeout', (route) => {
    const ms = route.timeout ?? fallback;
    if (!(ms > 0)) return undefined;
    let queue = queues.get(ms);
    if (queue === undefined) queues.set(ms, (queue = new DeadlineQueue(ms)));
    return new TimeoutStage(queue);
  });
}

/**
 * A deadline per request: when it passes first, the stages outside answer 503 at once
 * (`answerEarly`) and the inner outcome, when it comes, stops here.
 */
class TimeoutStage implements Stage {
  constructor(private readonly deadlines: DeadlineQueue) {}

  enter(_ctx: RequestContext, run: StageRun, index: number): Deadline {
    const { deadlines } = this;
    return deadlines.add(() => {
      run.answerEarly(index, new HttpError(503, `request timed out after ${deadlines.ms}ms`, { code: REST_ERROR_CODES.TIMEOUT }));
    });
  }

  exit(deadline: unknown, _ctx: RequestContext, run: StageRun, index: number): boolean {
    this.deadlines.cancel(deadline as Deadline);
    return !run.answeredBy(index);
  }
}
