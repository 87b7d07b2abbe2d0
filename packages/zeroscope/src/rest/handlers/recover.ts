import type { Middleware, RequestContext } from '../context.ts';
import { HttpError, REST_ERROR_CODES } from '../errors.ts';
import { type Stage, type StageRun, stagedMiddleware } from '../internal/stages.ts';
import { logRequestError } from '../respond.ts';

/** Options of `recoverHandler`. */
export interface RecoverOptions {
  /** Told about every error turned into a 500; defaults to an error line on the process logger (src/log). */
  onError?: (err: unknown, ctx: RequestContext) => void;
}

/**
 * Turns anything a handler throws that is not an HttpError into a 500 (go-zero's
 * RecoverHandler), reporting it once. The original error rides along as `cause`, so the
 * tracing handler outside records the real exception; the client never sees its message.
 *
 * @example
 *   const recover = recoverHandler({ onError: (err) => logger.error(err) });
 */
export function recoverHandler({ onError = logRequestError }: RecoverOptions = {}): Middleware {
  const stage = new RecoverStage(onError);
  return stagedMiddleware('recover', () => stage, 'recovered');
}

class RecoverStage implements Stage {
  constructor(private readonly onError: (err: unknown, ctx: RequestContext) => void) {}

  enter(): void {}

  exit(_state: unknown, ctx: RequestContext, run: StageRun): void {
    if (!run.failed || run.error instanceof HttpError) return;
    const err = run.error;
    this.onError(err, ctx);
    run.error = new HttpError(500, 'internal server error', { code: REST_ERROR_CODES.INTERNAL, cause: err });
  }
}
