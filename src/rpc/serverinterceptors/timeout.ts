import { status } from '@grpc/grpc-js';
import { RpcStatusError } from '../errors.ts';
import type { HandlerMiddleware, UnaryHandler } from '../internal/handler-types.ts';
import type { MethodInfo } from '../internal/method-info.ts';

/**
 * Answers DEADLINE_EXCEEDED when a unary handler runs longer than `timeoutMs` (go-zero's server
 * timeout interceptor). JavaScript cannot stop the handler, so its late result is dropped.
 * The client's own deadline is enforced by grpc-js independently. Streams are not limited.
 */
export function timeoutMiddleware(timeoutMs: number): HandlerMiddleware {
  return {
    unary: (next: UnaryHandler, info: MethodInfo): UnaryHandler =>
      function timeoutUnary(request, call) {
        return new Promise((resolve, reject) => {
          const timer = setTimeout(() => {
            reject(new RpcStatusError(status.DEADLINE_EXCEEDED, `${info.name} exceeded the server timeout of ${timeoutMs}ms`));
          }, timeoutMs);
          next(request, call).then(
            (reply) => {
              clearTimeout(timer);
              resolve(reply);
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
