import type * as grpc from '@grpc/grpc-js';
import type { MethodInfo } from './method-info.ts';

/**
 * A unary handler as middlewares see it: message types erased. Returns the reply, or a promise of
 * it, and fails by throwing or rejecting: a handler that answers synchronously (most lookups)
 * then costs no promise anywhere in the chain, so middleware must accept both.
 */
export type UnaryHandler = (request: unknown, call: grpc.ServerUnaryCall<unknown, unknown>) => unknown | Promise<unknown>;

/** A server-streaming handler as middlewares see it: returns the messages to send. */
export type StreamHandler = (
  request: unknown,
  call: grpc.ServerWritableStream<unknown, unknown>,
) => AsyncIterable<unknown> | Iterable<unknown>;

/**
 * The one shape of `servermiddlewares/` (go-zero's UnaryServerInterceptor shape): wraps the
 * handler of one method, once, when the service is added to an `RpcServer`. Used where grpc-js's
 * native interceptors (`serverinterceptors/`) cannot reach: the handler's own result and errors.
 */
export interface ServerMiddleware {
  unary?: (next: UnaryHandler, info: MethodInfo) => UnaryHandler;
  stream?: (next: StreamHandler, info: MethodInfo) => StreamHandler;
}

/** @deprecated The old name of {@link ServerMiddleware}. */
export type HandlerMiddleware = ServerMiddleware;
