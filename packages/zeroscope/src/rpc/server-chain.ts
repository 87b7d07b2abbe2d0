import type * as grpc from '@grpc/grpc-js';
import type { RpcServerConf } from './config.ts';
import type { ServerMiddleware } from './internal/handler-types.ts';
import { accessLogServerInterceptor } from './serverinterceptors/access-log.ts';
import { metricsServerInterceptor } from './serverinterceptors/metrics.ts';
import { recoverServerMiddleware } from './servermiddlewares/recover.ts';
import { sheddingServerMiddleware } from './servermiddlewares/shedding.ts';
import { timeoutServerMiddleware } from './servermiddlewares/timeout.ts';
import { tracingServerInterceptor } from './serverinterceptors/tracing.ts';
import { tracingDisabled } from '../trace/index.ts';

/** The server's middlewares in call order, as built by {@link buildServerChain}. */
export interface ServerChain {
  /** grpc-js native interceptors: they see every message and every status, even grpc-js's own. */
  interceptors: grpc.ServerInterceptor[];
  /** Handler wrappers, first = outermost; they run inside the native interceptors. */
  middlewares: ServerMiddleware[];
}

/**
 * The one place that decides the server-side order (go-zero's setupUnaryInterceptors):
 * Trace → Log → Metrics → Shedding → Recover → Timeout → handler. Each is skipped when its `Middlewares` flag is false
 * (Trace also once `Telemetry.Disabled` stopped tracing in this process).
 */
export function buildServerChain(conf: Pick<RpcServerConf, 'Middlewares' | 'Timeout' | 'CpuThreshold'>): ServerChain {
  const interceptors: grpc.ServerInterceptor[] = [];
  const middlewares: ServerMiddleware[] = [];
  if (conf.Middlewares.Trace && !tracingDisabled()) interceptors.push(tracingServerInterceptor());
  // After tracing: they read the call's span from the context tracing delivers messages in.
  if (conf.Middlewares.Log) interceptors.push(accessLogServerInterceptor());
  if (conf.Middlewares.Metrics) interceptors.push(metricsServerInterceptor());
  // Shedding first among the handler wrappers: a shed call costs no recover/timeout work.
  if (conf.Middlewares.Shedding && conf.CpuThreshold > 0) middlewares.push(sheddingServerMiddleware({ cpuThreshold: conf.CpuThreshold }));
  if (conf.Middlewares.Recover) middlewares.push(recoverServerMiddleware());
  if (conf.Middlewares.Timeout && conf.Timeout > 0) middlewares.push(timeoutServerMiddleware(conf.Timeout));
  return { interceptors, middlewares };
}
