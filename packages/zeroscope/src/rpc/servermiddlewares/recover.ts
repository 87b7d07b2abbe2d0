import { status } from '@grpc/grpc-js';
import { trace } from '@opentelemetry/api';
import { logger } from '../../log/index.ts';
import { grpcStatusOf, RpcStatusError } from '../errors.ts';
import type { ServerMiddleware, StreamHandler, UnaryHandler } from '../internal/handler-types.ts';
import type { MethodInfo } from '../internal/method-info.ts';
import { isThenable } from '../internal/thenable.ts';

/**
 * Where a recovered error is reported; defaults to an error line on the process logger (src/log),
 * written inside the call's span so it carries the call's `trace_id`.
 */
export type RecoverLogger = (message: string, err: unknown) => void;

/**
 * Turns an unexpected error of a handler (anything that is not a gRPC status) into INTERNAL
 * with the error's message, logs it, and records it on the active span, so the server keeps
 * serving (go-zero's recover interceptor). Status errors pass through unchanged.
 */
export function recoverServerMiddleware(log: RecoverLogger = defaultLog): ServerMiddleware {
  function recovered(err: unknown, info: MethodInfo): unknown {
    if (grpcStatusOf(err) !== undefined) return err;
    log(`rpc ${info.name}: handler failed`, err);
    const span = trace.getActiveSpan();
    // The tracing interceptor sets the span's status from the INTERNAL answer; the stack goes here.
    span?.recordException(err instanceof Error ? err : String(err));
    const message = err instanceof Error ? err.message : String(err);
    return new RpcStatusError(status.INTERNAL, message, { cause: err });
  }
  return {
    unary: (next: UnaryHandler, info: MethodInfo): UnaryHandler => {
      // Once per method: a plain function with one reaction for promised replies, none for plain ones.
      const rethrow = (err: unknown): never => {
        throw recovered(err, info);
      };
      return function recoverUnary(request, call) {
        let reply: unknown;
        try {
          reply = next(request, call);
        } catch (err) {
          rethrow(err);
        }
        return isThenable(reply) ? Promise.resolve(reply).then(undefined, rethrow) : reply;
      };
    },
    stream: (next: StreamHandler, info: MethodInfo): StreamHandler =>
      async function* recoverStream(request, call) {
        try {
          yield* next(request, call);
        } catch (err) {
          throw recovered(err, info);
        }
      },
  };
}

function defaultLog(message: string, err: unknown): void {
  logger().error({ err }, message);
}
