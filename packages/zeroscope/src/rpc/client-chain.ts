import type * as grpc from '@grpc/grpc-js';
import type { Breakers } from './breaker/breakers.ts';
import type { RpcClientConf } from './config.ts';
import { breakerClientMiddleware } from './clientinterceptors/breaker.ts';
import { metricsClientMiddleware } from './clientinterceptors/metrics.ts';
import { timeoutClientMiddleware } from './clientinterceptors/timeout.ts';
import { tracingClientMiddleware } from './clientinterceptors/tracing.ts';
import type { ServerAddress } from './internal/address.ts';
import { type ClientMiddleware, interceptorsOf } from './internal/client-call.ts';
import { tracingDisabled } from '../trace/index.ts';

/** The client's breakers, shared by all its channels, and the target their names start with. */
export interface ClientBreakers {
  breakers: Breakers;
  /** Names the service the client calls: its etcd Key, Target or Endpoints list. */
  target: string;
}

/**
 * The one place that decides the client-side order (go-zero's client interceptor list):
 * Trace → Metrics → Breaker → Timeout → the wire. Each is skipped when its `Middlewares` flag is false
 * (Breaker also when no `breakers` are given; Trace also once `Telemetry.Disabled` stopped tracing in
 * this process). Built once per channel, because the span
 * attributes name the endpoint the channel dials; the breakers are per client, not per channel.
 */
export function buildClientMiddlewares(
  conf: Pick<RpcClientConf, 'Middlewares' | 'Timeout'>,
  server: ServerAddress | undefined,
  breakers?: ClientBreakers,
): ClientMiddleware[] {
  const middlewares: ClientMiddleware[] = [];
  if (conf.Middlewares.Trace && !tracingDisabled()) middlewares.push(tracingClientMiddleware(server));
  if (conf.Middlewares.Metrics) middlewares.push(metricsClientMiddleware());
  if (conf.Middlewares.Breaker && breakers !== undefined) middlewares.push(breakerClientMiddleware(breakers.breakers, breakers.target));
  if (conf.Middlewares.Timeout && conf.Timeout > 0) middlewares.push(timeoutClientMiddleware(conf.Timeout));
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
