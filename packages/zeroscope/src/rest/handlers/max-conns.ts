import type { Middleware } from '../context.ts';
import { HttpError, REST_ERROR_CODES } from '../errors.ts';
import { type Stage, stagedMiddleware } from '../internal/stages.ts';

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
  if (!(limit > 0)) return stagedMiddleware('maxConns', () => undefined);
  // One stage for every route: the counter is the server's.
  const stage = new MaxConnsStage(limit);
  return stagedMiddleware('maxConns', () => stage);
}

class MaxConnsStage implements Stage {
  private inFlight = 0;

  constructor(private readonly limit: number) {}

  enter(): void {
    if (this.inFlight >= this.limit) {
      throw new HttpError(503, `server is busy: ${this.limit} requests already in flight`, { code: REST_ERROR_CODES.OVERLOADED });
    }
    this.inFlight++;
  }

  exit(): void {
    this.inFlight--;
  }
}
