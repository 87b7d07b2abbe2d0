import type * as grpc from '@grpc/grpc-js';
import { type ClientMiddleware, middlewaresInterceptor } from '../internal/client-call.ts';

/**
 * Gives every call a deadline `timeoutMs` from now unless the call already has one
 * (go-zero's client TimeoutInterceptor).
 */
export function timeoutClientMiddleware(timeoutMs: number): ClientMiddleware {
  return {
    begin(call) {
      if (call.deadline === undefined) call.deadline = Date.now() + timeoutMs;
      return undefined;
    },
  };
}

/** {@link timeoutClientMiddleware} as a grpc-js client interceptor. */
export function timeoutClientInterceptor(timeoutMs: number): grpc.Interceptor {
  return middlewaresInterceptor([timeoutClientMiddleware(timeoutMs)]);
}
