import * as grpc from '@grpc/grpc-js';
import { grpcStatusOf, RpcError } from '../errors.ts';
import type { HandlerMiddleware, StreamHandler, UnaryHandler } from './handler-types.ts';
import { methodInfo } from './method-info.ts';
import { isThenable } from './thenable.ts';

/**
 * Turns a promise/iterable-style implementation into the callback-style handlers grpc-js runs,
 * wrapping each method in `middlewares` (first = outermost). Errors become statuses here:
 * status errors keep their code, anything else is UNKNOWN (the recover middleware makes it
 * INTERNAL first), so no rejection ever escapes unhandled.
 */
export function adaptService(
  definition: grpc.ServiceDefinition,
  implementation: Record<string, unknown>,
  middlewares: readonly HandlerMiddleware[],
): grpc.UntypedServiceImplementation {
  const handlers: grpc.UntypedServiceImplementation = {};
  for (const [name, def] of Object.entries(definition)) {
    const method = implementation[name];
    if (typeof method !== 'function') continue; // grpc-js answers UNIMPLEMENTED
    const info = methodInfo(def.path);
    if (def.requestStream) {
      throw new RpcError('RPC_ERR_UNSUPPORTED_METHOD', grpc.status.UNIMPLEMENTED, `${info.name}: client/bidi streaming is not supported yet`);
    }
    if (def.responseStream) {
      let handler = method as StreamHandler;
      for (let i = middlewares.length - 1; i >= 0; i--) {
        const wrap = middlewares[i].stream;
        if (wrap) handler = wrap(handler, info);
      }
      handlers[name] = serveStream(handler);
    } else {
      let handler = method as UnaryHandler;
      for (let i = middlewares.length - 1; i >= 0; i--) {
        const wrap = middlewares[i].unary;
        if (wrap) handler = wrap(handler, info);
      }
      handlers[name] = serveUnary(handler);
    }
  }
  return handlers;
}

/**
 * Answers grpc-js's callback from a handler that returns its reply or a promise of it: a plain
 * reply is answered at once, without a promise (grpc-js, like net/http, takes a callback).
 */
function serveUnary(handler: UnaryHandler): grpc.handleUnaryCall<unknown, unknown> {
  return function serveUnaryCall(call, callback) {
    let reply: unknown;
    try {
      reply = handler(call.request, call);
    } catch (err) {
      callback(toServerError(err));
      return;
    }
    if (!isThenable(reply)) {
      callback(null, reply);
      return;
    }
    Promise.resolve(reply).then(
      (value) => callback(null, value),
      (err: unknown) => callback(toServerError(err)),
    );
  };
}

function serveStream(handler: StreamHandler): grpc.handleServerStreamingCall<unknown, unknown> {
  return function serveStreamCall(call) {
    pump(handler, call).then(
      () => {
        if (!call.cancelled) call.end();
      },
      (err: unknown) => {
        if (!call.cancelled) call.emit('error', toServerError(err));
      },
    );
  };
}

/** Writes every message the handler yields, honouring back-pressure and stopping on cancel. */
async function pump(handler: StreamHandler, call: grpc.ServerWritableStream<unknown, unknown>): Promise<void> {
  for await (const message of handler(call.request, call)) {
    if (call.cancelled) return; // leaving the loop runs the generator's finally blocks
    if (!call.write(message)) await drained(call);
  }
}

function drained(call: grpc.ServerWritableStream<unknown, unknown>): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      call.off('drain', done);
      call.off('cancelled', done);
      resolve();
    };
    call.on('drain', done);
    call.on('cancelled', done);
  });
}

/** The shape grpc-js turns into a status: numeric `code` + `details`. */
function toServerError(err: unknown): grpc.ServerErrorResponse {
  const known = grpcStatusOf(err);
  if (known !== undefined) {
    const metadata = (err as { metadata?: unknown }).metadata;
    return Object.assign(new Error(known.details), {
      code: known.code,
      details: known.details,
      metadata: metadata instanceof grpc.Metadata ? metadata : undefined,
    });
  }
  // Like grpc-js for a throwing handler: do not leak an unexpected error's message to callers.
  return Object.assign(new Error('Unknown error'), { code: grpc.status.UNKNOWN, details: 'Unknown error' });
}
