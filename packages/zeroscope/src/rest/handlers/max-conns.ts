import type { Middleware } from '../context.ts';
import { HttpError, REST_ERROR_CODES } from '../errors.ts';
import { runNext } from '../internal/run-next.ts';

/** Options of `maxConnsHandler`. */
export interface MaxConnsOptions {
  /** Requests allowed in flight at once across all routes; 0 or less means no limit. */
  maxConns: number;
}

/**
 * Sheds load past `maxConns` concurrent requests with a 503 (go-zero's MaxConnsHandler: it
 * counts requests being handled, not TCP connections). One counter per factory call, so one
 * server shares it across its routes.
 */
export function maxConnsHandler({ maxConns: limit }: MaxConnsOptions): Middleware {
  let inFlight = 0;
  // Built once, not per request: the request's promise only needs the counter released.
  const release = (): void => {
    inFlight--;
  };
  const releaseAndRethrow = (err: unknown): never => {
    inFlight--;
    throw err;
  };
  return function maxConns(next) {
    if (!(limit > 0)) return next;
    return function limited(ctx) {
      if (inFlight >= limit) {
        return Promise.reject(
          new HttpError(503, `server is busy: ${limit} requests already in flight`, { code: REST_ERROR_CODES.OVERLOADED }),
        );
      }
      inFlight++;
      return runNext(next, ctx).then(release, releaseAndRethrow);
    };
  };
}
