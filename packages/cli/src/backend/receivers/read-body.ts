/**
 * Reads an HTTP request body within three bounds, each answered with the connection closed:
 * - size: decompressed bytes and wire bytes (chunk framing included) past the limit are a 413,
 *   so a gzip bomb is refused as soon as it inflates past the limit;
 * - pieces: a body cut into more chunks than a real client ever sends is a 413 (a body of
 *   one-byte chunks held the socket's read buffer once per byte: 3 MB of payload took 5 GiB);
 * - time: after a grace period, a body arriving slower than a minimum average rate is a 408, as
 *   production servers enforce (Kestrel's MinRequestBodyDataRate), so a byte now and then cannot
 *   hold a connection open for ever;
 * - together: what all bodies hold at once stays within the receivers' budget (body-budget.ts),
 *   else a 503 + Retry-After.
 */
import type { IncomingMessage } from 'node:http';
import type { Readable } from 'node:stream';
import { createGunzip, createInflate } from 'node:zlib';
import {
  BadCompressionError,
  BodyTooLargeError,
  BodyTooSlowError,
  RequestAbortedError,
  TooManyChunksError,
  UnsupportedEncodingError,
} from './errors.ts';
import type { BodyReservation } from './body-budget.ts';
import { DEFAULT_BODY_LIMITS, type BodyLimits } from './types.ts';

/** Chunks smaller than this are copied out, so a kept piece never pins a whole socket read buffer. */
const COPY_BELOW_BYTES = 16 * 1024;

/** How often the receive rate is checked. */
const RATE_CHECK_MS = 1000;

/** Requests whose body was refused mid-way: the answer closes the connection (see closeAfterAnswer). */
const refused = new WeakSet<IncomingMessage>();

/** True when `req`'s body was refused by a bound: answer with `Connection: close`. */
export function closeAfterAnswer(req: IncomingMessage): boolean {
  return refused.has(req);
}

/**
 * The body, decompressed per Content-Encoding (gzip, deflate or identity), within `limits`
 * (a number is the size limit alone, the other bounds at their defaults), held in `reservation`
 * (its declared length up front, then as it grows): the caller releases it once done with the body.
 * @throws BodyTooLargeError, TooManyChunksError, BodyTooSlowError, UnsupportedEncodingError,
 *   BadCompressionError, RequestAbortedError, ReceiversBusyError.
 */
export function readBody(req: IncomingMessage, limits: number | BodyLimits, reservation?: BodyReservation): Promise<Buffer> {
  const bounds = typeof limits === 'number' ? { ...DEFAULT_BODY_LIMITS, maxBodyBytes: limits } : { ...DEFAULT_BODY_LIMITS, ...limits };
  const maxBytes = bounds.maxBodyBytes;
  const encoding = String(req.headers['content-encoding'] ?? 'identity').trim().toLowerCase();
  let decoder: ReturnType<typeof createGunzip> | undefined;
  if (encoding === 'gzip' || encoding === 'x-gzip') decoder = createGunzip();
  else if (encoding === 'deflate') decoder = createInflate();
  else if (encoding !== 'identity' && encoding !== '') return refuse(req, new UnsupportedEncodingError(encoding));
  // A declared length over the limit is refused before reading; the raw (compressed) body is
  // held to the same limit.
  const declared = Number(req.headers['content-length']);
  if (declared > maxBytes) return refuse(req, new BodyTooLargeError(maxBytes));
  // A declared plain body is held before a byte of it is read; others as they grow, below.
  if (reservation && decoder === undefined && declared > 0) {
    try {
      reservation.grow(declared);
    } catch (error) {
      return refuse(req, error as Error);
    }
  }

  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let rawSize = 0;
    let pieces = 0;
    let settled = false;
    const socket = req.socket;
    const wireStart = socket.bytesRead;
    // Chunk framing costs a few bytes a chunk; anything far past the payload limit is abuse.
    const maxWireBytes = maxBytes + 16 * bounds.maxBodyChunks + 64 * 1024;
    const startedAt = performance.now();
    const timer = setInterval(() => {
      const elapsed = performance.now() - startedAt;
      if (elapsed < bounds.bodyGraceMs) return;
      const rate = rawSize / (elapsed / 1000);
      if (rate < bounds.minBodyBytesPerSecond) fail(new BodyTooSlowError(bounds.minBodyBytesPerSecond, bounds.bodyGraceMs), true);
    }, RATE_CHECK_MS);
    timer.unref();

    const fail = (error: Error, close = false): void => {
      if (settled) return;
      settled = true;
      clearInterval(timer);
      if (decoder) {
        req.unpipe(decoder);
        decoder.destroy();
      }
      if (close) {
        // Stop reading: the answer goes out with Connection: close, then the socket is ended.
        refused.add(req);
        req.pause();
      } else drain(req, maxBytes);
      reject(error);
    };
    req.on('data', (chunk: Buffer) => {
      rawSize += chunk.length;
      pieces++;
      if (rawSize > maxBytes || socket.bytesRead - wireStart > maxWireBytes) fail(new BodyTooLargeError(maxBytes), true);
      else if (pieces > bounds.maxBodyChunks) fail(new TooManyChunksError(bounds.maxBodyChunks), true);
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
      if (size > maxBytes) return fail(new BodyTooLargeError(maxBytes), true);
      try {
        reservation?.grow(size);
      } catch (error) {
        return fail(error as Error, true);
      }
      chunks.push(chunk.length < COPY_BELOW_BYTES ? Buffer.from(chunk) : chunk);
    });
    body.on('end', () => {
      if (settled) return;
      settled = true;
      clearInterval(timer);
      resolve(Buffer.concat(chunks, size));
    });
  });
}

function refuse(req: IncomingMessage, error: Error): Promise<never> {
  drain(req, 0);
  return Promise.reject(error);
}

/**
 * Discards the rest of a body refused before it was read (a bad encoding, a declared length over
 * the limit) so the answer reaches the client and the connection can be reused; closing it
 * mid-upload would make many clients report a reset instead of our 4xx. A body far past the
 * limit is cut off.
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
