import type { Middleware } from '../context.ts';
import { HttpError, REST_ERROR_CODES } from '../errors.ts';

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
  return function maxConns(next) {
    if (!(limit > 0)) return next;
    return async function limited(ctx) {
      if (inFlight >= limit) {
        throw new HttpError(503, `server is busy: ${limit} requests already in flight`, {
          code: REST_ERROR_CODES.OVERLOADED,
        });
      }
      inFlight++;
      try {
        await next(ctx);
      } finally {
        inFlight--;
      }
    };
  };
}
