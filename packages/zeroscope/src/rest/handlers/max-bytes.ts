import type { Middleware } from '../context.ts';
import { tooLarge } from '../body.ts';

/** Options of `maxBytesHandler`. */
export interface MaxBytesOptions {
  /** Largest body in bytes; 0 or less means no limit. */
  maxBytes: number;
}

/**
 * Refuses bodies over `maxBytes` with a 413: at once when Content-Length says so (go-zero's
 * MaxBytesHandler), and while reading for chunked or compressed bodies, by handing the limit
 * to the body reader.
 */
export function maxBytesHandler({ maxBytes: limit }: MaxBytesOptions): Middleware {
  return function maxBytes(next) {
    if (!(limit > 0)) return next;
    // Plain functions (not async) that hand back next's promise: one less frame per request.
    return function limitBody(ctx) {
      const length = ctx.req.headers['content-length'];
      if (length !== undefined && Number(length) > limit) return Promise.reject(tooLarge(limit));
      ctx.bodyLimit = limit;
      return next(ctx);
    };
  };
}
