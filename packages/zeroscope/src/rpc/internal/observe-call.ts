import { performance } from 'node:perf_hooks';
import * as grpc from '@grpc/grpc-js';
import { type Context, context } from '@opentelemetry/api';
import { cancelCode } from './cancel-code.ts';

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
  // Per-call state in one object, finished by a module-level function: no closure made per call.
  const state: ObservedCall = { start: performance.now(), handlerContext: undefined, done };
  return new grpc.ServerInterceptingCall(call, {
    start(next) {
      next({
        onReceiveMessage(message, nextMessage) {
          state.handlerContext ??= context.active();
          nextMessage(message);
        },
        onReceiveHalfClose(nextHalfClose) {
          state.handlerContext ??= context.active();
          nextHalfClose();
        },
        onCancel() {
          // Also fires after a normal status (then finish is a no-op). grpc-js answers an expired
          // deadline itself, bypassing sendStatus, so tell that case apart here.
          if (state.done === undefined) return;
          finish(state, cancelCode(call));
        },
      });
    },
    sendStatus(status, next) {
      finish(state, status.code ?? grpc.status.UNKNOWN);
      next(status);
    },
  });
}

interface ObservedCall {
  readonly start: number;
  handlerContext: Context | undefined;
  /** Cleared once told: the outcome is reported exactly once. */
  done: ((outcome: CallOutcome) => void) | undefined;
}

function finish(state: ObservedCall, code: grpc.status): void {
  const done = state.done;
  if (done === undefined) return;
  state.done = undefined;
  done({ code, durationMs: performance.now() - state.start, context: state.handlerContext ?? context.active() });
}
