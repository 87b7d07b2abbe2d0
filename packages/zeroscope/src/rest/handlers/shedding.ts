import { trace } from '@opentelemetry/api';
import { type Admission, type Shedder, createShedder } from '../../load/index.ts';
import { recordLoadShed } from '../../trace/index.ts';
import type { Middleware, RequestContext } from '../context.ts';
import { HttpError, REST_ERROR_CODES } from '../errors.ts';
import { type Stage, type StageRun, stagedMiddleware } from '../internal/stages.ts';

/** Options of `sheddingHandler`. */
export interface SheddingOptions {
  /** go-zero's CpuThreshold in millicpu (900 = 90%); 0 turns shedding off. Ignored when `shedder` is given. */
  cpuThreshold?: number;
  /** The shedder to ask (tests pass one on a fake CPU); defaults to an adaptive one on this process's CPU. */
  shedder?: Shedder;
}

/**
 * go-zero's SheddingHandler: asks the adaptive shedder before the request goes further and answers
 * 503 at once when it says the server is saturated, marking the request's span (attribute
 * `zeroscope.load_shed` and an event with the reason) so the trace explains the 503. A 5xx or a
 * thrown error counts as a failure for the shedder's latency window; anything else as a pass.
 * One shedder per factory call, shared by every route of the server.
 *
 * @example
 *   server.use(sheddingHandler({ cpuThreshold: 800 }));
 */
export function sheddingHandler(options: SheddingOptions = {}): Middleware {
  const shedder = options.shedder ?? createShedder(options.cpuThreshold ?? 900);
  const stage = shedder === undefined ? undefined : new SheddingStage(shedder);
  return stagedMiddleware('shedding', () => stage);
}

class SheddingStage implements Stage {
  constructor(private readonly shedder: Shedder) {}

  enter(): Admission {
    const decision = this.shedder.allow();
    if (!decision.admitted) {
      recordLoadShed(trace.getActiveSpan(), decision.reason);
      throw new HttpError(503, 'server is overloaded, request shed', { code: REST_ERROR_CODES.OVERLOADED });
    }
    return decision.admission;
  }

  exit(admission: unknown, ctx: RequestContext, run: StageRun): void {
    const { error } = run;
    if (run.failed ? error instanceof HttpError && error.status < 500 : ctx.res.statusCode < 500) (admission as Admission).pass();
    else (admission as Admission).fail();
  }
}
