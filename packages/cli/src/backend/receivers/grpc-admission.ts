/**
 * Admission of OTLP/gRPC calls before their message is read. grpc-js reads a unary call's whole
 * message (up to 20 MiB) before the handler runs, so the body budget (body-budget.ts) can only
 * refuse to decode what is already in memory: 150 concurrent 18 MiB exports took the backend to
 * 3.5 GB. This interceptor answers a call UNAVAILABLE + RetryInfo when its metadata arrives while
 * `maxCalls` admitted calls have not finished, or while the budget is spent, so at most `maxCalls`
 * messages are being received at once: memory is bounded by `maxCalls` × the message limit, no
 * longer by the size of the flood.
 */
import * as grpc from '@grpc/grpc-js';
import type { BodyBudget } from './body-budget.ts';
import { ReceiversBusyError } from './errors.ts';
import { failureStatus } from './grpc-export.ts';

/**
 * Default cap on OTLP/gRPC calls receiving or being handled at once: the push limiter's cap on
 * pushes in flight, which refused the 65th only after its message was read and decoded.
 */
export const DEFAULT_MAX_GRPC_CALLS = 64;

/** A server interceptor admitting at most `maxCalls` calls at once, none while `budget` is spent. */
export function grpcAdmission(budget: BodyBudget | undefined, maxCalls = DEFAULT_MAX_GRPC_CALLS): grpc.ServerInterceptor {
  let inFlight = 0;
  return (_method, call) => {
    let admitted = false;
    const leave = (): void => {
      if (!admitted) return;
      admitted = false;
      inFlight--;
    };
    const intercepting: grpc.ServerInterceptingCall = new grpc.ServerInterceptingCall(call, {
      start(next) {
        next({
          onReceiveMetadata(metadata, nextMetadata) {
            if (inFlight >= maxCalls || (budget !== undefined && budget.held() >= budget.maxBytes)) {
              intercepting.sendStatus(failureStatus(new ReceiversBusyError(budget?.maxBytes ?? 0)));
              return;
            }
            admitted = true;
            inFlight++;
            nextMetadata(metadata);
          },
          onCancel() {
            leave();
          },
        });
      },
      sendStatus(status, nextStatus) {
        leave();
        nextStatus(status);
      },
    });
    return intercepting;
  };
}
