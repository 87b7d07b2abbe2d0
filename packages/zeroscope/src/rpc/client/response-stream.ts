import * as grpc from '@grpc/grpc-js';
import { type RpcError, RpcStatusError } from '../errors.ts';
import type { ResponseStream } from '../service.ts';
import { toStatusError } from './status-error.ts';

/**
 * Re-types grpc-js's stream and turns its errors into RpcStatusError; leaving the loop early
 * cancels the call. `failure.error`, when set (a bidi request source threw), is thrown instead of
 * the CANCELLED it caused.
 */
export function responseStream(call: grpc.ClientReadableStream<unknown>, failure?: { error?: unknown }): ResponseStream<unknown> {
  return {
    cancel: () => call.cancel(),
    async *[Symbol.asyncIterator]() {
      let settled = false;
      try {
        for await (const message of call) yield message;
        settled = true;
      } catch (err) {
        settled = true;
        if (failure?.error !== undefined) throw failure.error;
        throw typeof (err as grpc.ServiceError).code === 'number' ? toStatusError(err as grpc.ServiceError) : err;
      } finally {
        if (!settled) call.cancel();
      }
    },
  };
}

/** A stream opened once `ready` settles (the first endpoint list); cancelling before that skips it. */
export function deferredStream(ready: Promise<void>, open: () => ResponseStream<unknown>): ResponseStream<unknown> {
  let inner: ResponseStream<unknown> | undefined;
  let cancelled = false;
  return {
    cancel() {
      cancelled = true;
      inner?.cancel();
    },
    async *[Symbol.asyncIterator]() {
      await ready;
      if (cancelled) throw new RpcStatusError(grpc.status.CANCELLED, 'Cancelled on client');
      inner = open();
      yield* inner;
    },
  };
}

/** A stream that fails with `err` when read (the call could not be routed). */
export function failedStream(err: RpcError): ResponseStream<unknown> {
  return {
    cancel() {},
    async *[Symbol.asyncIterator]() {
      throw err;
    },
  };
}
