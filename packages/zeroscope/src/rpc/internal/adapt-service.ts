import * as grpc from '@grpc/grpc-js';
import { grpcStatusOf } from '../errors.ts';
import type { ServerMiddleware, StreamHandler, UnaryHandler } from './handler-types.ts';
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
  middlewares: readonly ServerMiddleware[],
): grpc.UntypedServiceImplementation {
  const handlers: grpc.UntypedServiceImplementation = {};
  for (const [name, def] of Object.entries(definition)) {
    const method = implementation[name];
    if (typeof method !== 'function') continue; // grpc-js answers UNIMPLEMENTED
    const info = methodInfo(def.path);
    // Client-streaming methods answer once, so they take the unary wrappers; bidi ones the
    // stream wrappers. Either way the handler's "request" is the stream of requests.
    if (def.responseStream) {
      let handler = method as StreamHandler;
      for (let i = middlewares.length - 1; i >= 0; i--) {
        const wrap = middlewares[i].stream;
        if (wrap) handler = wrap(handler, info);
      }
      handlers[name] = def.requestStream ? serveBidi(handler) : serveStream(handler);
    } else {
      let handler = method as UnaryHandler;
      for (let i = middlewares.length - 1; i >= 0; i--) {
        const wrap = middlewares[i].unary;
        if (wrap) handler = wrap(handler, info);
      }
      handlers[name] = def.requestStream ? serveClientStream(handler) : serveUnary(handler);
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
    answer(handler, call.request, call, callback);
  };
}

/** A client-streaming call: the handler reads the call (an async iterable of requests) and returns one reply. */
function serveClientStream(handler: UnaryHandler): grpc.handleClientStreamingCall<unknown, unknown> {
  return function serveClientStreamCall(call, callback) {
    answer(handler, requestsOf(call), call as unknown as grpc.ServerUnaryCall<unknown, unknown>, callback);
  };
}

function answer(handler: UnaryHandler, request: unknown, call: grpc.ServerUnaryCall<unknown, unknown>, callback: grpc.sendUnaryData<unknown>): void {
  let reply: unknown;
  try {
    reply = handler(request, call);
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
}

function serveStream(handler: StreamHandler): grpc.handleServerStreamingCall<unknown, unknown> {
  return function serveStreamCall(call) {
    respondWith(handler, call.request, call);
  };
}

/** A bidi call: the handler reads the call as its requests and returns the replies to write. */
function serveBidi(handler: StreamHandler): grpc.handleBidiStreamingCall<unknown, unknown> {
  return function serveBidiCall(call) {
    respondWith(handler, requestsOf(call), call as unknown as grpc.ServerWritableStream<unknown, unknown>);
  };
}

/**
 * The requests of a client-streaming or bidi call as an async iterable. Not the call itself: a
 * stream's own iterator destroys it once the loop ends, which for a duplex would also cut the
 * replies still to be written and the final status.
 */
function requestsOf(call: grpc.ServerReadableStream<unknown, unknown> | grpc.ServerDuplexStream<unknown, unknown>): AsyncIterable<unknown> {
  return { [Symbol.asyncIterator]: () => call.iterator({ destroyOnReturn: false }) };
}

function respondWith(handler: StreamHandler, request: unknown, call: grpc.ServerWritableStream<unknown, unknown>): void {
  pump(handler, request, call).then(
    () => {
      if (!call.cancelled) call.end();
    },
    (err: unknown) => {
      if (!call.cancelled) call.emit('error', toServerError(err));
    },
  );
}

/** Writes every message the handler yields, honouring back-pressure and stopping on cancel. */
async function pump(handler: StreamHandler, request: unknown, call: grpc.ServerWritableStream<unknown, unknown>): Promise<void> {
  for await (const message of handler(request, call)) {
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
