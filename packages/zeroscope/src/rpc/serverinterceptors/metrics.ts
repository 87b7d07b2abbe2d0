import * as grpc from '@grpc/grpc-js';
import { trace } from '@opentelemetry/api';
import type { Registry } from 'prom-client';
import { instruments, metricsEnabled, metricsRegistry, recordRequest } from '../../metrics/index.ts';
import { observeServerCall } from '../internal/observe-call.ts';

/** Options of {@link metricsServerInterceptor}. */
export interface RpcMetricsOptions {
  /** Record here, always; by default the process registry, and only while metrics are on. */
  registry?: Registry;
}

/**
 * Native grpc-js server interceptor recording Prometheus metrics per call (go-zero's
 * UnaryPrometheusInterceptor): `rpc_server_requests_duration_ms` by `method` (the full gRPC path,
 * `/user.User/GetUser`) and `rpc_server_requests_code_total` by `method` and numeric `code`, with
 * exemplars naming the call's trace (place it after the tracing interceptor). Records nothing
 * until a `Prometheus` block started the metrics server.
 *
 * @example
 *   new grpc.Server({ interceptors: [tracingServerInterceptor(), metricsServerInterceptor()] });
 */
export function metricsServerInterceptor(options: RpcMetricsOptions = {}): grpc.ServerInterceptor {
  return function metricsServerInterceptor(descriptor, call) {
    const registry = options.registry ?? (metricsEnabled() ? metricsRegistry() : undefined);
    // Nothing to record: no pass-through layer (grpc-js only uses the call's interface).
    if (registry === undefined) return call as grpc.ServerInterceptingCall;
    return observeServerCall(call, ({ code, durationMs, context }) => {
      const labels = { method: descriptor.path, code: String(code) };
      recordRequest(instruments(registry).rpcServer, labels, durationMs, trace.getSpanContext(context));
    });
  };
}
