import { performance } from 'node:perf_hooks';
import { trace } from '@opentelemetry/api';
import type { Registry } from 'prom-client';
import { instruments, metricsEnabled, metricsRegistry, recordRequest } from '../../metrics/index.ts';
import { type ClientInterceptor, clientInterceptor } from '../internal/client-call.ts';

/** Options of {@link metricsClientInterceptor}. */
export interface RpcClientMetricsOptions {
  /** Record here, always; by default the process registry, and only while metrics are on. */
  registry?: Registry;
}

/**
 * Records Prometheus metrics per call (go-zero's client PrometheusInterceptor):
 * `rpc_client_requests_duration_ms` by `method` (the full gRPC path) and
 * `rpc_client_requests_code_total` by `method` and numeric `code`, with exemplars naming the
 * caller's trace, and `rpc_client_requests_retry_total` by `method` and the `code` that caused a
 * retry. Records nothing until a `Prometheus` block started the metrics server.
 *
 * @example
 *   new grpc.Client(address, credentials, { interceptors: [tracingClientInterceptor(), metricsClientInterceptor()] });
 */
export function metricsClientInterceptor(options: RpcClientMetricsOptions = {}): ClientInterceptor {
  return clientInterceptor({
    begin(call) {
      const registry = options.registry ?? (metricsEnabled() ? metricsRegistry() : undefined);
      if (registry === undefined) return undefined;
      const method = call.path;
      const spanContext = trace.getSpanContext(call.context);
      if (call.retry !== undefined) instruments(registry).rpcClientRetries.inc({ method, code: String(call.retry.status.code) });
      const start = performance.now();
      return {
        ended(status) {
          recordRequest(instruments(registry).rpcClient, { method, code: String(status.code) }, performance.now() - start, spanContext);
        },
      };
    },
  });
}
