import { performance } from 'node:perf_hooks';
import * as grpc from '@grpc/grpc-js';
import { context, trace } from '@opentelemetry/api';
import type { Registry } from 'prom-client';
import { instruments, metricsEnabled, metricsRegistry, recordRequest } from '../../metrics/index.ts';

/** Options of {@link metricsClientInterceptor}. */
export interface RpcClientMetricsOptions {
  /** Record here, always; by default the process registry, and only while metrics are on. */
  registry?: Registry;
}

/**
 * grpc-js client interceptor recording Prometheus metrics per call (go-zero's client
 * PrometheusInterceptor): `rpc_client_requests_duration_ms` by `method` (the full gRPC path) and
 * `rpc_client_requests_code_total` by `method` and numeric `code`, with exemplars naming the
 * caller's trace. Records nothing until a `Prometheus` block started the metrics server.
 *
 * @example
 *   new grpc.Client(address, credentials, { interceptors: [tracingClientInterceptor(), metricsClientInterceptor()] });
 */
export function metricsClientInterceptor(options: RpcClientMetricsOptions = {}): grpc.Interceptor {
  return function metricsClientInterceptor(callOptions, nextCall) {
    const registry = options.registry ?? (metricsEnabled() ? metricsRegistry() : undefined);
    // Nothing to record: hand back the next call itself rather than a pass-through layer
    // (grpc-js only uses the interface, and every layer costs it objects per call).
    if (registry === undefined) return nextCall(callOptions) as grpc.InterceptingCall;
    const method = callOptions.method_definition.path;
    // grpc-js builds the interceptor chain synchronously inside the caller's call: this is the
    // caller's context, whose trace the exemplar names.
    const spanContext = trace.getSpanContext(context.active());
    const start = performance.now();
    return new grpc.InterceptingCall(nextCall(callOptions), {
      start(metadata, _listener, next) {
        next(metadata, {
          onReceiveStatus(status, nextStatus) {
            const labels = { method, code: String(status.code) };
            recordRequest(instruments(registry).rpcClient, labels, performance.now() - start, spanContext);
            nextStatus(status);
          },
        });
      },
    });
  };
}
