/** Writing receiver answers over HTTP. */
import type { ServerResponse } from 'node:http';
import { encodeRpcStatus, rpcStatusJson } from '../otlp/index.ts';
import type { FailureAnswer } from './failure.ts';
import { closeAfterAnswer } from './read-body.ts';

/** How long a refused body's connection may take to flush the answer before it is cut. */
const CLOSE_GRACE_MS = 2000;

/** Sends a body with its type and length; a no-op when the client is already gone. */
export function send(res: ServerResponse, status: number, contentType: string | undefined, body: string | Uint8Array, headers: Record<string, string> = {}): void {
  if (res.headersSent || res.destroyed) return;
  const bytes = typeof body === 'string' ? Buffer.from(body) : body;
  const close = closeAfterAnswer(res.req);
  res.writeHead(status, {
    ...(contentType ? { 'content-type': contentType } : {}),
    'content-length': String(bytes.byteLength),
    ...headers,
    ...(close ? { connection: 'close' } : {}),
  });
  res.end(bytes);
  if (close) {
    // A refused body is not read on: the connection goes once the answer is out.
    const socket = res.req.socket;
    res.once('finish', () => {
      socket.end();
      setTimeout(() => socket.destroy(), CLOSE_GRACE_MS).unref();
    });
  }
}

/** Retry-After for overload answers, in whole seconds (HTTP cannot say less). */
export function retryHeaders(answer: FailureAnswer): Record<string, string> {
  return answer.retryAfterSeconds === undefined ? {} : { 'retry-after': String(Math.ceil(answer.retryAfterSeconds)) };
}

/** An OTLP/HTTP failure: a google.rpc.Status in the request's encoding (JSON when unknown). */
export function sendStatus(res: ServerResponse, answer: FailureAnswer, format: 'protobuf' | 'json', headers: Record<string, string> = {}): void {
  const status = { code: answer.grpcCode, message: answer.message };
  if (format === 'protobuf') {
    send(res, answer.httpStatus, 'application/x-protobuf', encodeRpcStatus(status), { ...retryHeaders(answer), ...headers });
  } else {
    send(res, answer.httpStatus, 'application/json', rpcStatusJson(status), { ...retryHeaders(answer), ...headers });
  }
}
