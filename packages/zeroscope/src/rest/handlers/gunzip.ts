import { createGunzip } from 'node:zlib';
import type { Middleware } from '../context.ts';

/**
 * Lets routes accept `Content-Encoding: gzip` bodies (go-zero's GunzipHandler). Lazy: it only
 * tells the body reader to decompress, so routes that never read the body pay nothing.
 */
export function gunzipHandler(): Middleware {
  return function gunzip(next) {
    return function gunzipBody(ctx) {
      const encoding = ctx.req.headers['content-encoding'];
      if (encoding !== undefined && encoding.includes('gzip')) ctx.bodyDecoder = createGunzip;
      return next(ctx);
    };
  };
}
