import type { Readable } from 'node:stream';
import type { RequestContext } from './context.ts';
import { HttpError, REST_ERROR_CODES } from './errors.ts';

/**
 * Reads the request body as JSON, through `ctx.bodyDecoder` if set and within `ctx.bodyLimit`
 * bytes (counted after decoding, so a small gzip bomb cannot slip past the limit).
 * An empty body reads as undefined, which the route's schema then judges.
 */
export async function readJsonBody(ctx: RequestContext): Promise<unknown> {
  const text = await readBodyText(ctx);
  if (text.length === 0) return undefined;
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new HttpError(400, `body is not valid JSON: ${(err as Error).message}`, {
      code: REST_ERROR_CODES.BAD_JSON,
    });
  }
}

async function readBodyText(ctx: RequestContext): Promise<string> {
  const source: Readable = ctx.bodyDecoder === undefined ? ctx.req : ctx.req.pipe(ctx.bodyDecoder());
  const limit = ctx.bodyLimit;
  const chunks: Buffer[] = [];
  let size = 0;
  try {
    for await (const chunk of source) {
      size += (chunk as Buffer).length;
      if (size > limit) throw tooLarge(limit);
      chunks.push(chunk as Buffer);
    }
  } catch (err) {
    if (err instanceof HttpError) throw err;
    if (source !== ctx.req) {
      throw new HttpError(400, `body could not be decoded: ${(err as Error).message}`, {
        code: REST_ERROR_CODES.BAD_ENCODING,
      });
    }
    throw err;
  }
  return chunks.length === 1 ? chunks[0].toString('utf8') : Buffer.concat(chunks, size).toString('utf8');
}

/** The 413 both the Content-Length check and the streaming reader raise. */
export function tooLarge(limit: number): HttpError {
  // The rest of an oversized body is never read, so the connection cannot be reused.
  return new HttpError(413, `body exceeds the limit of ${limit} bytes`, {
    code: REST_ERROR_CODES.BODY_TOO_LARGE,
    headers: { connection: 'close' },
  });
}
