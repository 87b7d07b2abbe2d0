import * as grpc from '@grpc/grpc-js';

/**
 * Gives every call a deadline `timeoutMs` from now unless the call already has one
 * (go-zero's client TimeoutInterceptor).
 */
export function timeoutClientInterceptor(timeoutMs: number): grpc.Interceptor {
  return function timeoutClientInterceptor(options, nextCall) {
    const withDeadline = options.deadline === undefined ? { ...options, deadline: Date.now() + timeoutMs } : options;
    // Only the options change: no InterceptingCall layer of its own (grpc-js uses the interface).
    return nextCall(withDeadline) as grpc.InterceptingCall;
  };
}
