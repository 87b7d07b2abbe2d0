import type { Middleware, RequestContext } from '../context.ts';
import { HttpError, REST_ERROR_CODES } from '../errors.ts';
import { runNext } from '../internal/run-next.ts';
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
  return function recover(next) {
    // Plain, not async: one reaction per request; a synchronous throw arrives as a rejection.
    return function recovered(ctx) {
      return runNext(next, ctx).then(undefined, (err: unknown) => {
        if (err instanceof HttpError) throw err;
        onError(err, ctx);
        throw new HttpError(500, 'internal server error', { code: REST_ERROR_CODES.INTERNAL, cause: err });
      });
    };
  };
}
