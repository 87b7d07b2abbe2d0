import type * as grpc from '@grpc/grpc-js';
import type { RpcClientConf } from './config.ts';
import { timeoutClientInterceptor } from './clientinterceptors/timeout.ts';
import { tracingClientInterceptor } from './clientinterceptors/tracing.ts';
import type { ServerAddress } from './internal/address.ts';

/**
 * The one place that decides the client-side order (go-zero's client interceptor list):
 * Trace → Timeout → the wire. Each is skipped when its `Middlewares` flag is false. Built once
 * per channel, because the span attributes name the endpoint the channel dials.
 */
export function buildClientChain(
  conf: Pick<RpcClientConf, 'Middlewares' | 'Timeout'>,
  server: ServerAddress | undefined,
): grpc.Interceptor[] {
  const interceptors: grpc.Interceptor[] = [];
  if (conf.Middlewares.Trace) interceptors.push(tracingClientInterceptor(server));
  if (conf.Middlewares.Timeout && conf.Timeout > 0) interceptors.push(timeoutClientInterceptor(conf.Timeout));
  return interceptors;
}
