/**
 * Reads an HTTP request body with a size limit that applies after decompression, so a small
 * gzip bomb is refused as soon as it inflates past the limit rather than filling memory.
 */
import type { IncomingMessage } from 'node:http';
import type { Readable } from 'node:stream';
import { createGunzip, createInflate } from 'node:zlib';
import { BadCompressionError, BodyTooLargeError, RequestAbortedError, UnsupportedEncodingError } from './errors.ts';

/**
 * The body, decompressed per Content-Encoding (gzip, deflate or identity).
 * @throws BodyTooLargeError, UnsupportedEncodingError, BadCompressionError, RequestAbortedError.
 */
export function readBody(req: IncomingMessage, maxBytes: number): Promise<Buffer> {
  const encoding = String(req.headers['content-encoding'] ?? 'identity').trim().toLowerCase();
  let decoder: ReturnType<typeof createGunzip> | undefined;
  if (encoding === 'gzip' || encoding === 'x-gzip') decoder = createGunzip();
  else if (encoding === 'deflate') decoder = createInflate();
  else if (encoding !== 'identity' && encoding !== '') return refuse(req, new UnsupportedEncodingError(encoding));
  // A declared length over the limit is refused before reading; the raw (compressed) body is
  // held to the same limit.
  if (Number(req.headers['content-length']) > maxBytes) return refuse(req, new BodyTooLargeError(maxBytes));

  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let rawSize = 0;
    let settled = false;
    const fail = (error: Error): void => {
      if (settled) return;
      settled = true;
      if (decoder) {
        req.unpipe(decoder);
        decoder.destroy();
      }
      drain(req, maxBytes);
      reject(error);
    };
    req.on('data', (chunk: Buffer) => {
      rawSize += chunk.length;
      if (rawSize > maxBytes) fail(new BodyTooLargeError(maxBytes));
    });
    req.on('error', (error) => fail(new RequestAbortedError({ cause: error })));
    req.on('close', () => {
      if (!req.complete) fail(new RequestAbortedError());
    });
    const body: Readable = decoder ? req.pipe(decoder) : req;
    if (decoder) decoder.on('error', (error) => fail(new BadCompressionError(encoding, { cause: error })));
    body.on('data', (chunk: Buffer) => {
      if (settled) return;
      size += chunk.length;
      if (size > maxBytes) fail(new BodyTooLargeError(maxBytes));
      else chunks.push(chunk);
    });
    body.on('end', () => {
      if (settled) return;
      settled = true;
      resolve(Buffer.concat(chunks, size));
    });
  });
}

function refuse(req: IncomingMessage, error: Error): Promise<never> {
  drain(req, 0);
  return Promise.reject(error);
}

/**
 * Discards the rest of a refused body so the answer reaches the client and the connection can
 * be reused; closing it mid-upload would make many clients report a reset instead of our 4xx.
 * A body far past the limit is cut off.
 */
function drain(req: IncomingMessage, maxBytes: number): void {
  const cap = Math.max(4 * maxBytes, 64 * 1024 * 1024);
  let drained = 0;
  req.on('data', (chunk: Buffer) => {
    drained += chunk.length;
    if (drained > cap) req.destroy();
  });
  req.resume();
}
