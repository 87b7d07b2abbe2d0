import type { RestConf } from './config.ts';
import type { Dispatch, Middleware, RouteInfo } from './context.ts';
import { accessLogHandler } from './handlers/access-log.ts';
import { gunzipHandler } from './handlers/gunzip.ts';
import { maxBytesHandler } from './handlers/max-bytes.ts';
import { maxConnsHandler } from './handlers/max-conns.ts';
import { metricsHandler } from './handlers/metrics.ts';
import { recoverHandler } from './handlers/recover.ts';
import { sheddingHandler } from './handlers/shedding.ts';
import { timeoutHandler } from './handlers/timeout.ts';
import { tracingHandler } from './handlers/tracing.ts';
import { type ErrorReporter, respondErrors } from './respond.ts';
import { tracingDisabled } from '../trace/index.ts';

/**
 * The built-in middleware a config switches on, outermost first. The ONLY place that decides
 * their order, which follows go-zero's engine: tracing sees everything (shed load, timeouts,
 * recovered errors), the access log and metrics sit right inside it (so they see the same and
 * carry its trace), and the body limits sit nearest the handler that reads the body.
 */
export function builtinMiddlewares(conf: RestConf, report: ErrorReporter): Middleware[] {
  const on = conf.Middlewares;
  const chain: Middleware[] = [];
  if (on.Trace && !tracingDisabled()) chain.push(tracingHandler());
  if (on.Log) chain.push(accessLogHandler());
  if (on.Metrics) chain.push(metricsHandler());
  if (on.MaxConns) chain.push(maxConnsHandler({ maxConns: conf.MaxConns }));
  if (on.Shedding && conf.CpuThreshold > 0) chain.push(sheddingHandler({ cpuThreshold: conf.CpuThreshold }));
  if (on.Timeout) chain.push(timeoutHandler({ timeout: conf.Timeout }));
  if (on.Recover) chain.push(recoverHandler({ onError: report }));
  if (on.MaxBytes) chain.push(maxBytesHandler({ maxBytes: conf.MaxBytes }));
  if (on.Gunzip) chain.push(gunzipHandler());
  return chain;
}

/**
 * Wraps `endpoint` in `middlewares` (first = outermost) for one route, then in the error
 * responder that turns whatever is thrown into the response.
 */
export function composeChain(
  middlewares: readonly Middleware[],
  endpoint: Dispatch,
  route: RouteInfo,
  report: ErrorReporter,
): Dispatch {
  let dispatch = endpoint;
  for (let i = middlewares.length - 1; i >= 0; i--) dispatch = middlewares[i](dispatch, route);
  return respondErrors(dispatch, report);
}
