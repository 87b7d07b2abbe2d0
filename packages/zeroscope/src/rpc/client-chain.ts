import type * as grpc from '@grpc/grpc-js';
import type { Breakers } from './breaker/breakers.ts';
import type { RpcClientConf } from './config.ts';
import { breakerClientInterceptor } from './clientinterceptors/breaker.ts';
import { durationClientInterceptor } from './clientinterceptors/duration.ts';
import { metricsClientInterceptor } from './clientinterceptors/metrics.ts';
import { timeoutClientInterceptor } from './clientinterceptors/timeout.ts';
import { tracingClientInterceptor } from './clientinterceptors/tracing.ts';
import type { ServerAddress } from './internal/address.ts';
import { type ClientInterceptor, interceptorsOf } from './internal/client-call.ts';
import { tracingDisabled } from '../trace/index.ts';

/** The client's breakers, shared by all its channels, and the target their names start with. */
export interface ClientBreakers {
  breakers: Breakers;
  /** Names the service the client calls: its etcd Key, Target or Endpoints list. */
  target: string;
}

/**
 * The one place that decides the client-side order (go-zero's client interceptor list):
 * Trace → Duration → Metrics → Breaker → Timeout → the wire. Each is skipped when its `Middlewares` flag is false
 * (Breaker also when no `breakers` are given; Trace also once `Telemetry.Disabled` stopped tracing in
 * this process). Built once per channel, because the span
 * attributes name the endpoint the channel dials; the breakers are per client, not per channel.
 */
export function buildClientMiddlewares(
  conf: Pick<RpcClientConf, 'Middlewares' | 'Timeout'>,
  server: ServerAddress | undefined,
  breakers?: ClientBreakers,
): ClientInterceptor[] {
  const middlewares: ClientInterceptor[] = [];
  if (conf.Middlewares.Trace && !tracingDisabled()) middlewares.push(tracingClientInterceptor(server));
  if (conf.Middlewares.Duration) middlewares.push(durationClientInterceptor(server));
  if (conf.Middlewares.Metrics) middlewares.push(metricsClientInterceptor());
  if (conf.Middlewares.Breaker && breakers !== undefined) middlewares.push(breakerClientInterceptor(breakers.breakers, breakers.target));
  if (conf.Middlewares.Timeout && conf.Timeout > 0) middlewares.push(timeoutClientInterceptor(conf.Timeout));
  return middlewares;
}

/**
 * The same chain as grpc-js interceptors (one interceptor running them all), for a client built
 * with grpc-js directly; empty when every middleware is off.
 */
export function buildClientChain(
  conf: Pick<RpcClientConf, 'Middlewares' | 'Timeout'>,
  server: ServerAddress | undefined,
  breakers?: ClientBreakers,
): grpc.Interceptor[] {
  return interceptorsOf(buildClientMiddlewares(conf, server, breakers));
}
