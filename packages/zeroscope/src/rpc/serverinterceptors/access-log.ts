import * as grpc from '@grpc/grpc-js';
import { context } from '@opentelemetry/api';
import { type AccessEntry, logAccess } from '../../log/index.ts';
import { methodInfo } from '../internal/method-info.ts';
import { observeServerCall } from '../internal/observe-call.ts';

/** gRPC codes that blame the server: logged at error even when `Log.Stat` is off. */
const SERVER_FAULTS: ReadonlySet<grpc.status> = new Set([
  grpc.status.UNKNOWN,
  grpc.status.DEADLINE_EXCEEDED,
  grpc.status.UNIMPLEMENTED,
  grpc.status.INTERNAL,
  grpc.status.UNAVAILABLE,
  grpc.status.DATA_LOSS,
]);

/**
 * Native grpc-js server interceptor writing one access log line per call (go-zero's rpc stat
 * interceptor): the method, the final status code and its name, and the duration, in the call's
 * span context so the line carries its `trace_id` (place it after the tracing interceptor).
 * Server faults are logged at error and calls past `Log.SlowThreshold` as `slowcall` even when
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
        failed: SERVER_FAULTS.has(code),
      };
      context.with(callContext, logAccess, undefined, entry);
    });
  };
}
