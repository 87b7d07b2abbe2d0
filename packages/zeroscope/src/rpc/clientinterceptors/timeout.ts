import { type ClientInterceptor, clientInterceptor } from '../internal/client-call.ts';

/**
 * Gives every call a deadline `timeoutMs` from now unless the call already has one
 * (go-zero's client TimeoutInterceptor).
 */
export function timeoutClientInterceptor(timeoutMs: number): ClientInterceptor {
  return clientInterceptor({
    begin(call) {
      if (call.deadline === undefined) call.deadline = Date.now() + timeoutMs;
      return undefined;
    },
  });
}
