import { performance } from 'node:perf_hooks';
import { status } from '@grpc/grpc-js';
import { RpcStatusError } from '../errors.ts';
import type { ServerMiddleware, UnaryHandler } from '../internal/handler-types.ts';
import type { MethodInfo } from '../internal/method-info.ts';
import { isThenable } from '../internal/thenable.ts';

/**
 * Answers DEADLINE_EXCEEDED when a unary handler runs longer than `timeoutMs` (go-zero's server
 * timeout interceptor). JavaScript cannot stop the handler, so its late result is dropped.
 * The client's own deadline is enforced by grpc-js independently. Streams are not limited.
 */
export function timeoutServerMiddleware(timeoutMs: number): ServerMiddleware {
  return {
    unary: (next: UnaryHandler, info: MethodInfo): UnaryHandler =>
      function timeoutUnary(request, call) {
        const start = performance.now();
        // A reply given synchronously is never late (a timer set before it could only have fired
        // after it): no promise, no timer. Otherwise the deadline still counts from the start.
        const reply = next(request, call);
        if (!isThenable(reply)) return reply;
        return new Promise((resolve, reject) => {
          const timer = setTimeout(() => {
            reject(new RpcStatusError(status.DEADLINE_EXCEEDED, `${info.name} exceeded the server timeout of ${timeoutMs}ms`));
          }, Math.max(0, timeoutMs - (performance.now() - start)));
          reply.then(
            (value) => {
              clearTimeout(timer);
              resolve(value);
            },
            (err: unknown) => {
              clearTimeout(timer);
              reject(err);
            },
          );
        });
      },
  };
}
