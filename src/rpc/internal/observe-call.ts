import { performance } from 'node:perf_hooks';
import * as grpc from '@grpc/grpc-js';
import { type Context, context } from '@opentelemetry/api';

/** How a server call ended, as the access-log and metrics interceptors record it. */
export interface CallOutcome {
  /** The final gRPC status code. */
  code: grpc.status;
  /** From the request's headers to the status (or the cancel). */
  durationMs: number;
  /** The context the handler ran in (the server span's), for log lines and exemplars. */
  context: Context;
}

/**
 * Wraps a server call to report, exactly once, how it ended: the status the server sent, or
 * DEADLINE_EXCEEDED / CANCELLED when grpc-js or the client ended it without one. The handler's
 * context is taken from the first message or half-close, which the tracing interceptor (when it
 * sits before this one) delivers inside the server span.
 */
export function observeServerCall(call: grpc.ServerInterceptingCallInterface, done: (outcome: CallOutcome) => void): grpc.ServerInterceptingCall {
  const start = performance.now();
  let handlerContext: Context | undefined;
  let finished = false;
  const finish = (code: grpc.status): void => {
    if (finished) return;
    finished = true;
    done({ code, durationMs: performance.now() - start, context: handlerContext ?? context.active() });
  };
  return new grpc.ServerInterceptingCall(call, {
    start(next) {
      next({
        onReceiveMessage(message, nextMessage) {
          handlerContext ??= context.active();
          nextMessage(message);
        },
        onReceiveHalfClose(nextHalfClose) {
          handlerContext ??= context.active();
          nextHalfClose();
        },
        onCancel() {
          // Also fires after a normal status (then finish is a no-op). grpc-js answers an expired
          // deadline itself, bypassing sendStatus, so tell that case apart here.
          const deadline = call.getDeadline();
          const expired = deadline !== Infinity && new Date(deadline).getTime() <= Date.now();
          finish(expired ? grpc.status.DEADLINE_EXCEEDED : grpc.status.CANCELLED);
        },
      });
    },
    sendStatus(status, next) {
      finish(status.code ?? grpc.status.UNKNOWN);
      next(status);
    },
  });
}
