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
import { answerFailure, type ErrorReporter, respondErrors } from './respond.ts';
import { nestedStages, outermostStages, type Stage, type StageRun, stageOf } from './internal/stages.ts';
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
 * responder that turns whatever is thrown into the response. Consecutive staged middleware (the
 * built-ins that wait for the steps inside, internal/stages.ts) run as one step with a single
 * reaction per request; a group at the very outside also does the responder's work, so the
 * built-in chain costs one promise reaction however many of them are on.
 */
export function composeChain(
  middlewares: readonly Middleware[],
  endpoint: Dispatch,
  route: RouteInfo,
  report: ErrorReporter,
): Dispatch {
  let dispatch = endpoint;
  let i = middlewares.length - 1;
  while (i >= 0) {
    const factory = stageOf(middlewares[i]);
    if (factory === undefined) {
      dispatch = middlewares[i](dispatch, route);
      i--;
      continue;
    }
    // The run of staged middleware ending at i, built innermost first.
    const stages: Stage[] = [];
    for (; i >= 0; i--) {
      const stageFactory = stageOf(middlewares[i]);
      if (stageFactory === undefined) break;
      const stage = stageFactory(route);
      if (stage !== undefined) stages.unshift(stage);
    }
    if (i < 0) return outermostStages(stages, dispatch, (run) => finishRequest(run, report));
    if (stages.length > 0) dispatch = nestedStages(stages, dispatch);
  }
  return respondErrors(dispatch, report);
}

function finishRequest(run: StageRun, report: ErrorReporter): void {
  if (run.failed) answerFailure(run.error, run.ctx, report);
}
