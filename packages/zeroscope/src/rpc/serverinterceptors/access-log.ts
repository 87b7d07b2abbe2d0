import * as grpc from '@grpc/grpc-js';
import { context } from '@opentelemetry/api';
import { type AccessEntry, logAccess } from '../../log/index.ts';
import { methodInfo } from '../internal/method-info.ts';
import { observeServerCall } from '../internal/observe-call.ts';
import { grpcOutcome } from '../internal/grpc-outcome.ts';

/**
 * Native grpc-js server interceptor writing one access log line per call (go-zero's rpc stat
 * interceptor): the method, the final status code and its name, and the duration, in the call's
 * span context so the line carries its `trace_id` (place it after the tracing interceptor).
 * The level follows the outcome (`Log.AccessLevels`: every non-OK code at error by default, calls
 * past `Log.SlowThreshold` as `slowcall` at warn); failed and slow calls are logged even when
 * `Log.Stat` turns the per-call lines off.
 *
 * @example
 *   new grpc.Server({ interceptors: [tracingServerInterceptor(), accessLogServerInterceptor()] });
 */
export function accessLogServerInterceptor(): grpc.ServerInterceptor {
  return function accessLogServerInterceptor(descriptor, call) {
    const method = methodInfo(descriptor.path).name;
    return observeServerCall(call, ({ code, durationMs, context: callContext }) => {
      const entry: AccessEntry = {
        kind: 'rpc',
        method,
        status: code,
        code: grpc.status[code] ?? String(code),
        durationMs,
        outcome: grpcOutcome(code),
      };
      context.with(callContext, logAccess, undefined, entry);
    });
  };
}
