/**
 * TraceQL metrics over a TraceFetcher: the one entry point for `/api/metrics/query_range`,
 * `/api/metrics/query` and Tempo's gRPC `MetricsQueryRange`. A request in Tempo's
 * `QueryRangeRequest` terms (nanosecond start/end/step) comes in; Tempo's `QueryRangeResponse`
 * (or `QueryInstantResponse`) in its proto3 JSON form comes out, which protobufjs' `fromObject`
 * also takes as is.
 */
import type { QuerySpan, TraceFetcher } from '../storage.ts';
import type { MetricsExpression, MetricsPipeline, MetricsRoot, RootExpr } from '../ast.ts';
import { validate } from '../ast-validate.ts';
import { columnsFor } from '../columns.ts';
import { fetchRequestFor } from '../conditions.ts';
import { TraceQLValidationError } from '../errors.ts';
import { evaluateQuery } from '../evaluate-pipeline.ts';
import { parseQuery } from '../parser.ts';
import { indexTrace, type TraceIndex } from '../trace-index.ts';
import { goDuration } from '../value-json.ts';
import { CompareStage } from './compare-stage.ts';
import { FirstStage, type SpanObserver } from './first-stage.ts';
import { applySecondStages, mathBetween, mathWithNumber } from './second-stage.ts';
import {
  seriesToInstantJson,
  seriesToJson,
  type MetricsSearchMetrics,
  type QueryInstantResponse,
  type QueryRangeResponse,
  type SeriesSet,
} from './series.ts';
import { alignTiming, defaultStep, IntervalMapper, type RangeTiming } from './time-range.ts';

/** Tempo's defaults: exemplars per query, and series before an answer is cut short. */
export const DEFAULT_EXEMPLARS = 100;
export const MAX_EXEMPLARS = 1000;
export const DEFAULT_MAX_SERIES = 1000;
/** Most intervals a range may have (Tempo's `max_intervals` default); a smaller step is refused. */
export const MAX_INTERVALS = 10_000n;

/** tempopb.QueryRangeRequest, the fields this engine reads; times in unix nanoseconds. */
export interface MetricsQueryRangeRequest {
  query: string;
  start: bigint;
  end: bigint;
  /** Default: Tempo's {@link defaultStep} for the range. */
  step?: bigint;
  /** Most exemplars in the answer; 0 or absent: {@link DEFAULT_EXEMPLARS}. */
  exemplars?: number;
  /** Most series; 0 or absent: {@link DEFAULT_MAX_SERIES}. */
  maxSeries?: number;
  /** One interval for the whole range. */
  instant?: boolean;
  /** The clock, for tests; an end after it is pulled back to it. */
  nowUnixNano?: bigint;
}

/** tempopb.QueryInstantRequest. */
export interface MetricsQueryInstantRequest {
  query: string;
  start: bigint;
  end: bigint;
  maxSeries?: number;
  nowUnixNano?: bigint;
}

interface Stats {
  traces: number;
  spans: number;
  truncated: boolean;
}

/** Parses and validates a metrics query; a search query is refused with a pointer to the fix. */
export function compileMetricsQuery(query: string): MetricsRoot {
  const root = parseQuery(query.trim());
  if (root.type !== 'metricsRoot') {
    throw new TraceQLValidationError(
      `not a metrics query: add a metrics function such as "| rate()" or "| count_over_time()" (got ${query.trim() || 'an empty query'})`,
    );
  }
  validate(root);
  return root;
}

/**
 * Runs a metrics range query. Throws TraceQLError subclasses for a bad query (a 400), and a
 * TraceQLValidationError for a range without positive length or step.
 *
 * @example
 *   await evaluateMetricsQueryRange(store, { query: '{} | rate() by (resource.service.name)', start, end, step: 60_000_000_000n });
 */
export async function evaluateMetricsQueryRange(fetcher: TraceFetcher, req: MetricsQueryRangeRequest): Promise<QueryRangeResponse> {
  const { set, mapper, stats } = await run(fetcher, req, req.instant ?? false);
  const response: QueryRangeResponse = { series: seriesToJson(set, mapper), metrics: searchMetrics(stats) };
  return withLimits(response, stats, req.maxSeries);
}

/** Runs an instant query: one value per series for the whole [start, end]. */
export async function evaluateMetricsQueryInstant(
  fetcher: TraceFetcher,
  req: MetricsQueryInstantRequest,
): Promise<QueryInstantResponse> {
  const { set, stats } = await run(fetcher, { ...req, exemplars: 0 }, true);
  const response: QueryInstantResponse = { series: seriesToInstantJson(set), metrics: searchMetrics(stats) };
  return withLimits(response, stats, req.maxSeries);
}

function withLimits<T extends { status?: 'PARTIAL'; message?: string }>(response: T, stats: Stats, maxSeries?: number): T {
  if (stats.truncated) {
    response.status = 'PARTIAL';
    response.message = `response exceeds the maximum of ${maxSeries || DEFAULT_MAX_SERIES} series; narrow the query or its by()`;
  }
  return response;
}

async function run(fetcher: TraceFetcher, req: MetricsQueryRangeRequest, instant: boolean) {
  const root = compileMetricsQuery(req.query);
  if (req.end <= req.start) throw new TraceQLValidationError('end must be after start');
  const step = instant ? req.end - req.start : (req.step ?? defaultStep(req.start, req.end));
  if (step <= 0n) throw new TraceQLValidationError('step must be positive');
  if ((req.end - req.start) / step > MAX_INTERVALS) {
    throw new TraceQLValidationError(
      `step of ${goDuration(Number(step))} is too small, minimum step for given range is ${goDuration(Number((req.end - req.start) / MAX_INTERVALS))}`,
    );
  }
  const now = req.nowUnixNano ?? BigInt(Date.now()) * 1_000_000n;
  const timing: RangeTiming = alignTiming({ startUnixNano: req.start, endUnixNano: req.end, stepNanos: step, instant }, now);
  const mapper = new IntervalMapper(timing);
  // A `with(exemplars=N)` hint wins over the parameter, as in Tempo's frontend.
  const hint = root.hints?.find((h) => h.name === 'exemplars')?.value;
  const asked = hint && (hint.valueType === 'int' || hint.valueType === 'float') ? Math.max(0, Math.floor(hint.value)) : undefined;
  const exemplars = instant || asked === 0 ? 0 : Math.min(asked ?? (req.exemplars || DEFAULT_EXEMPLARS), MAX_EXEMPLARS);
  const limits = {
    exemplarsPerInterval: exemplars === 0 ? 0 : Math.max(1, Math.ceil(exemplars / mapper.count)),
    maxSeries: req.maxSeries || DEFAULT_MAX_SERIES,
  };
  const stats: Stats = { traces: 0, spans: 0, truncated: false };
  const evaluate = async (e: MetricsExpression): Promise<SeriesSet | number> => {
    switch (e.type) {
      case 'metricsNumber':
        return e.value;
      case 'metricsPipeline':
        return runPipeline(fetcher, e, mapper, limits, stats);
      case 'metricsMath': {
        const l = await evaluate(e.lhs);
        const r = await evaluate(e.rhs);
        if (typeof l === 'number') return mathWithNumber(e.op, r as SeriesSet, l, true);
        if (typeof r === 'number') return mathWithNumber(e.op, l, r, false);
        return mathBetween(e.op, l, r);
      }
    }
  };
  const result = (await evaluate(root.expr)) as SeriesSet;
  const set = applySecondStages(result, root.secondStage, mapper.count);
  capExemplars(set, exemplars);
  return { set, mapper, stats };
}

/** One `spansets | function | stages` over the spans that started in the range. */
async function runPipeline(
  fetcher: TraceFetcher,
  mp: MetricsPipeline,
  mapper: IntervalMapper,
  limits: { exemplarsPerInterval: number; maxSeries: number },
  stats: Stats,
): Promise<SeriesSet> {
  const observer: SpanObserver =
    mp.aggregate.type === 'compare' ? new CompareStage(mp.aggregate, mapper) : new FirstStage(mp.aggregate, mapper, limits);
  const search: RootExpr = { type: 'root', pipeline: mp.pipeline };
  const everything = mp.pipeline.elements.every(
    (el) => el.type === 'spansetFilter' && el.expr.type === 'static' && el.expr.valueType === 'bool' && el.expr.value === true,
  );
  // The trace index costs a Map per trace; only filters and trace-level intrinsics read it.
  const needsIndex = !everything || mp.aggregate.type === 'compare' || readsTraceLevel(mp);
  const timing = mapper.timing;
  const request = {
    ...fetchRequestFor(search, { startUnixNano: timing.startUnixNano, endUnixNano: timing.endUnixNano }),
    // compare() counts every attribute, so it needs them all.
    ...(mp.aggregate.type === 'compare' ? {} : { columns: columnsFor(mp) }),
  };
  for await (const trace of fetcher.fetchTraces(request)) {
    if (trace.spans.length === 0) continue;
    stats.traces++;
    stats.spans += trace.spans.length;
    const ti = needsIndex ? indexTrace(trace) : spanLevelOnly(trace);
    let spans: Iterable<QuerySpan>;
    if (everything) spans = trace.spans;
    else {
      const matched = new Set<QuerySpan>();
      for (const ss of evaluateQuery(search, ti)) for (const s of ss.spans) matched.add(s);
      spans = matched;
    }
    for (const span of spans) {
      const interval = mapper.interval(span.startTimeUnixNano);
      if (interval >= 0) observer.observe(span, ti, interval);
    }
  }
  if (observer.truncated) stats.truncated = true;
  return applySecondStages(observer.result(), mp.secondStage, mapper.count);
}

/**
 * At most `limit` exemplars in the whole answer: shared evenly among the series (in label order),
 * each series keeping ones spread evenly over its time range.
 */
function capExemplars(set: SeriesSet, limit: number): void {
  const keys = [...set.keys()].sort();
  const perSeries = keys.length === 0 ? 0 : Math.floor(limit / keys.length);
  let spare = limit - perSeries * keys.length;
  for (const key of keys) {
    const s = set.get(key)!;
    let cap = perSeries;
    if (spare > 0 && s.exemplars.length > cap) {
      cap++;
      spare--;
    }
    if (s.exemplars.length <= cap) continue;
    const sorted = [...s.exemplars].sort((a, b) => a.timestampMs - b.timestampMs);
    s.exemplars = Array.from({ length: cap }, (_, i) => sorted[Math.floor((i * sorted.length) / cap)]!);
  }
}

const SPAN_LEVEL_INTRINSICS = new Set([
  'name', 'status', 'statusMessage', 'kind', 'duration', 'spanID', 'parentID', 'traceID',
  'eventName', 'eventTimeSinceStart', 'linkTraceID', 'linkSpanID', 'instrumentationName', 'instrumentationVersion',
]);

/** True when the function's fields read the trace (root, trace duration, tree intrinsics). */
function readsTraceLevel(mp: MetricsPipeline): boolean {
  if (mp.aggregate.type === 'compare') return true;
  const fields = [...mp.aggregate.by, ...(mp.aggregate.attr ? [mp.aggregate.attr] : [])];
  return fields.some((f) => f.type === 'intrinsic' && !SPAN_LEVEL_INTRINSICS.has(f.name));
}

/** A TraceIndex for span-level reads only: nothing in it is looked at (see readsTraceLevel). */
function spanLevelOnly(trace: TraceIndex['trace']): TraceIndex {
  return { trace, byId: EMPTY_BY_ID, startUnixNano: 0n, endUnixNano: 0n, durationNanos: 0 };
}
const EMPTY_BY_ID = new Map<string, QuerySpan>();

function searchMetrics(stats: Stats): MetricsSearchMetrics {
  return {
    inspectedTraces: stats.traces,
    ...(stats.spans > 0 ? { inspectedSpans: String(stats.spans) } : {}),
    completedJobs: 1,
    totalJobs: 1,
  };
}
