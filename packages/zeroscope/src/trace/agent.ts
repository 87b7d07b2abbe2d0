/**
 * The trace agent (go-zero's core/trace/agent.go) on the official OpenTelemetry JS SDK. This is the
 * only module that loads `@opentelemetry/sdk-trace-*` (besides the console exporter, which is the
 * SDK's), when it builds a provider: everything else speaks `@opentelemetry/api`.
 */
import { hostname } from 'node:os';
import { context, propagation, trace, type TracerProvider } from '@opentelemetry/api';
import type * as ContextAsyncHooks from '@opentelemetry/context-async-hooks';
import { setGlobalErrorHandler } from '@opentelemetry/core';
import type * as Resources from '@opentelemetry/resources';
import type * as SdkTraceBase from '@opentelemetry/sdk-trace-base';
import type { BasicTracerProvider, Sampler, SpanLimits, SpanProcessor } from '@opentelemetry/sdk-trace-base';
import { loadOnUse } from '../internal/load-on-use.ts';
import type { TelemetryConf } from './config.ts';
import { diagFromEnv } from './diag.ts';
import { guardExporter, isReportedExportError } from './export-guard.ts';
import { ExportHealth, consoleLog, type AgentLog } from './export-health.ts';
import { emptyStats, type ExportStats } from './export-stats.ts';
import { createExporter, needsEndpoint } from './exporters/registry.ts';
import { type DeferredInstrumentations, instrument, instrumentOnFirstSpan, outgoingInstrumentations } from './instrumentations.ts';
import { LeanTracer } from './lean/tracer.ts';
import { SDK_SPAN_LIMITS, type SpanSink } from './lean/span.ts';
import { createPropagator } from './propagators.ts';
import { CountingSpanQueue } from './span-queue.ts';
import { TRACER_NAME, VERSION } from './tracer.ts';

// The SDK's packages are required when a provider is built, not imported: a service with
// `Disabled: true`, or no Telemetry block, never loads them. (They are CommonJS: the modules an
// import would load.)
const sdkTraceBase = () => loadOnUse('@opentelemetry/sdk-trace-base') as typeof SdkTraceBase;
const resources = () => loadOnUse('@opentelemetry/resources') as typeof Resources;
const contextAsyncHooks = () => loadOnUse('@opentelemetry/context-async-hooks') as typeof ContextAsyncHooks;

/** The agent's config: the Telemetry block with its service name filled in. */
export type AgentConf = TelemetryConf & { Name: string };

/** Extra knobs of {@link startAgent} / {@link createTracerProvider}. */
export interface AgentOptions {
  /**
   * More resource attributes (e.g. `deployment.environment.name`); `ResourceAttributes` of the
   * config win over these, and `service.name` is always `Name`.
   */
  resource?: Record<string, string | number | boolean>;
  /** Where the agent's warnings go (default: stderr). */
  log?: AgentLog;
  /**
   * How long one export may take, retries included, before it counts as failed (default:
   * `OTEL_EXPORTER_OTLP_TRACES_TIMEOUT`, `OTEL_EXPORTER_OTLP_TIMEOUT`, else 10 s as in OTLP).
   * Bounds what a hanging endpoint can hold.
   */
  exportTimeoutMs?: number;
}

/** A tracer provider the caller owns: flush it, shut it down. Hides the SDK type on purpose. */
export interface AgentProvider extends TracerProvider {
  forceFlush(): Promise<void>;
  shutdown(): Promise<void>;
  /** What its export pipeline has done so far (a copy). */
  stats(): ExportStats;
}

/**
 * Batching: the queue is bounded (spans beyond it are dropped, never buffered without limit); one
 * second between exports so a span shows up in the UI about as fast as you can switch windows.
 * The standard `OTEL_BSP_*` variables change them.
 */
const BATCH_DEFAULTS: BatchLimits = { maxQueueSize: 2048, maxExportBatchSize: 512, scheduledDelayMillis: 1000 };

interface BatchLimits {
  maxQueueSize: number;
  maxExportBatchSize: number;
  scheduledDelayMillis: number;
}

/** The OTLP default export timeout; the exporters get it, and the guard a second more. */
const DEFAULT_EXPORT_TIMEOUT_MS = 10_000;
const GUARD_SLACK_MS = 1000;
/**
 * Exports still unanswered (each holds a socket) beyond which batches fail at once. The batch
 * processor sends one batch at a time except when flushing, so this is only reached when an
 * exporter without a timeout of its own (Zipkin's) keeps requests hanging.
 */
const MAX_EXPORTS_IN_FLIGHT = 4;

/** How long shutdown/flush may take before the agent gives up waiting (the app must still exit). */
const DEFAULT_STOP_TIMEOUT_MS = 5000;

/**
 * Builds a provider from `conf` without registering anything globally: sampler
 * ParentBased(TraceIdRatioBased(Sampler)) (the bare ratio sampler when `ParentBased` is false),
 * resource `service.name` = Name plus `ResourceAttributes`, and — when there is an Endpoint, or the
 * Batcher needs none — the Batcher's exporter behind a bounded BatchSpanProcessor. Without an
 * Endpoint spans are sampled and dropped (go-zero does the same). `Disabled`, propagation and
 * instrumentations are the caller's concern. Tests use this directly because the global agent
 * starts once per process.
 */
export function createTracerProvider(conf: AgentConf, options: AgentOptions = {}): AgentProvider {
  const { provider, stats } = buildProvider(conf, options);
  return Object.assign(provider, { stats: () => ({ ...stats }) });
}

interface Built {
  provider: BasicTracerProvider;
  health?: ExportHealth;
  stats: ExportStats;
}

function buildProvider(conf: AgentConf, options: AgentOptions): Built {
  const { BasicTracerProvider, BatchSpanProcessor, ParentBasedSampler, RandomIdGenerator } = sdkTraceBase();
  const { defaultResource, resourceFromAttributes } = resources();
  const log = options.log ?? consoleLog;
  const spanProcessors: SpanProcessor[] = [];
  const stats = emptyStats();
  let health: ExportHealth | undefined;
  if (conf.Endpoint || !needsEndpoint(conf.Batcher)) {
    const timeoutMs = options.exportTimeoutMs ?? exportTimeoutFromEnv(conf.Batcher) ?? DEFAULT_EXPORT_TIMEOUT_MS;
    const { exporter, target, gate } = createExporter({ ...conf, Endpoint: conf.Endpoint ?? '' }, { timeoutMs });
    health = new ExportHealth(`${conf.Batcher} ${target}`, log);
    const guarded = guardExporter(exporter, { health, stats, gate, timeoutMs: timeoutMs + GUARD_SLACK_MS, maxInFlight: MAX_EXPORTS_IN_FLIGHT });
    // The processor's own export timeout sits past the guard's, so the guard always answers first.
    const limits = batchLimitsFromEnv();
    const batcher = new BatchSpanProcessor(guarded, { ...limits, exportTimeoutMillis: timeoutMs + 2 * GUARD_SLACK_MS });
    spanProcessors.push(new CountingSpanQueue(batcher, limits.maxQueueSize, stats) as unknown as SpanProcessor);
  }
  const resource = defaultResource().merge(
    resourceFromAttributes({
      'host.name': hostname(),
      'process.pid': process.pid,
      ...options.resource,
      ...conf.ResourceAttributes,
      'service.name': conf.Name,
    }),
  );
  const sampler = conf.ParentBased ? new ParentBasedSampler({ root: rootSampler(conf.Sampler) }) : rootSampler(conf.Sampler);
  const idGenerator = new RandomIdGenerator();
  const spanLimits = spanLimitsFromEnv();
  const provider = new BasicTracerProvider({ resource, sampler, idGenerator, spanLimits, spanProcessors });
  if (conf.Pipeline === 'fast') {
    // zeroscope's own spans (rest, rpc) are lean spans; every other tracer stays the SDK's. Both share
    // the sampler, ids, limits, resource and processor, so they decide and export alike.
    const sdkGetTracer = provider.getTracer.bind(provider);
    const lean = new LeanTracer({
      resource,
      scope: { name: TRACER_NAME, version: VERSION },
      sampler,
      idGenerator,
      limits: { ...SDK_SPAN_LIMITS, ...spanLimits },
      sink: (spanProcessors[0] as SpanSink | undefined) ?? DISCARD,
    });
    provider.getTracer = (name, version, options) =>
      name === TRACER_NAME && version === VERSION && options?.schemaUrl === undefined ? lean : sdkGetTracer(name, version, options);
  }
  return { provider, health, stats };
}

/** Where lean spans go when nothing exports (no Endpoint): sampled, then dropped, as the SDK does. */
const DISCARD: SpanSink = { onStart() {}, onEnd() {} };

/**
 * TraceIdRatioBased at the two ends decides exactly as AlwaysOn/AlwaysOff, but hashes every
 * trace id to get there; go-zero's default `Sampler: 1.0` takes the shortcut.
 */
function rootSampler(ratio: number): Sampler {
  const { AlwaysOffSampler, AlwaysOnSampler, TraceIdRatioBasedSampler } = sdkTraceBase();
  if (ratio >= 1) return new AlwaysOnSampler();
  if (!(ratio > 0)) return new AlwaysOffSampler();
  return new TraceIdRatioBasedSampler(ratio);
}

/**
 * The batch limits, each from its `OTEL_BSP_*` variable when that is a positive integer. A batch
 * larger than the queue is capped to it, as the SDK does.
 */
function batchLimitsFromEnv(env: NodeJS.ProcessEnv = process.env): BatchLimits {
  const positive = (raw: string | undefined, fallback: number): number => {
    const n = envNumber(raw);
    return Number.isInteger(n) && n > 0 ? n : fallback;
  };
  const maxQueueSize = positive(env.OTEL_BSP_MAX_QUEUE_SIZE, BATCH_DEFAULTS.maxQueueSize);
  return {
    maxQueueSize,
    maxExportBatchSize: Math.min(maxQueueSize, positive(env.OTEL_BSP_MAX_EXPORT_BATCH_SIZE, BATCH_DEFAULTS.maxExportBatchSize)),
    scheduledDelayMillis: positive(env.OTEL_BSP_SCHEDULE_DELAY, BATCH_DEFAULTS.scheduledDelayMillis),
  };
}

/**
 * The span limits the specification's variables set; the SDK's defaults (128 of each, values
 * unbounded) for the rest. The SDK reads most of these itself but not the spec's names of the
 * per-event and per-link limits, so all are read here, each specific variable before the general
 * `OTEL_ATTRIBUTE_*` one. A value that is not a non-negative integer is ignored.
 */
function spanLimitsFromEnv(env: NodeJS.ProcessEnv = process.env): SpanLimits {
  const first = (...names: string[]): number | undefined => {
    for (const name of names) {
      const n = envNumber(env[name]);
      if (Number.isInteger(n) && n >= 0) return n;
    }
    return undefined;
  };
  const limits: Record<keyof SpanLimits, number | undefined> = {
    attributeValueLengthLimit: first('OTEL_SPAN_ATTRIBUTE_VALUE_LENGTH_LIMIT', 'OTEL_ATTRIBUTE_VALUE_LENGTH_LIMIT'),
    attributeCountLimit: first('OTEL_SPAN_ATTRIBUTE_COUNT_LIMIT', 'OTEL_ATTRIBUTE_COUNT_LIMIT'),
    eventCountLimit: first('OTEL_SPAN_EVENT_COUNT_LIMIT'),
    linkCountLimit: first('OTEL_SPAN_LINK_COUNT_LIMIT'),
    attributePerEventCountLimit: first('OTEL_EVENT_ATTRIBUTE_COUNT_LIMIT', 'OTEL_SPAN_ATTRIBUTE_PER_EVENT_COUNT_LIMIT'),
    attributePerLinkCountLimit: first('OTEL_LINK_ATTRIBUTE_COUNT_LIMIT', 'OTEL_SPAN_ATTRIBUTE_PER_LINK_COUNT_LIMIT'),
  };
  // Only the limits given: an undefined entry would replace the SDK's default.
  return Object.fromEntries(Object.entries(limits).filter(([, v]) => v !== undefined)) as SpanLimits;
}

/** An environment variable as a number; NaN when unset or blank (`Number('')` would say 0). */
function envNumber(raw: string | undefined): number {
  return raw === undefined || raw.trim() === '' ? Number.NaN : Number(raw);
}

/**
 * How long one export may take (ms), from the environment: the exporter's own variable
 * (`OTEL_EXPORTER_ZIPKIN_TIMEOUT` for zipkin, else `OTEL_EXPORTER_OTLP_TRACES_TIMEOUT`, then
 * `OTEL_EXPORTER_OTLP_TIMEOUT`) and the batch processor's `OTEL_BSP_EXPORT_TIMEOUT`; the shorter
 * bound wins. Values that are not positive numbers are ignored.
 */
function exportTimeoutFromEnv(batcher: string, env: NodeJS.ProcessEnv = process.env): number | undefined {
  const positive = (raw: string | undefined): number | undefined => {
    const ms = envNumber(raw);
    return Number.isFinite(ms) && ms > 0 ? ms : undefined;
  };
  const exporter =
    batcher === 'zipkin'
      ? positive(env.OTEL_EXPORTER_ZIPKIN_TIMEOUT)
      : (positive(env.OTEL_EXPORTER_OTLP_TRACES_TIMEOUT) ?? positive(env.OTEL_EXPORTER_OTLP_TIMEOUT));
  const processor = positive(env.OTEL_BSP_EXPORT_TIMEOUT);
  if (exporter === undefined) return processor;
  return processor === undefined ? exporter : Math.min(exporter, processor);
}

type AgentState =
  | { status: 'disabled' | 'stopped' | 'foreign'; stats?: ExportStats }
  | { status: 'running'; provider: BasicTracerProvider; stats: ExportStats; instrumentations: DeferredInstrumentations };

// On globalThis so two copies of this module (src and a build, say) still share one agent.
const STATE_KEY = Symbol.for('zeroscope.trace.agent');
const store = globalThis as { [STATE_KEY]?: AgentState };

/**
 * Starts tracing for this process from a Telemetry config (go-zero's StartAgent). Only the first
 * successful call counts; later calls are no-ops, so every server's set-up may call it. Installs the
 * provider, the `Propagators` (W3C tracecontext + baggage by default), an AsyncLocalStorage context
 * manager and the outgoing-call instrumentations `Instrument` enables (installed by {@link warmUpAgent} or when the first span
 * becomes active), globally. `Disabled: true` installs nothing and opens no connection. Throws `TraceError` for an unusable
 * Batcher/Endpoint/TLS file, leaving the agent unstarted so a later call may retry.
 *
 * @example
 *   startAgent({ ...TelemetrySchema.parse({ Endpoint: '127.0.0.1:4318' }), Name: 'order' });
 */
export function startAgent(conf: AgentConf, options: AgentOptions = {}): void {
  if (store[STATE_KEY]) return;
  if (conf.Disabled) {
    store[STATE_KEY] = { status: 'disabled' };
    return;
  }
  const log = options.log ?? consoleLog;
  const { provider, health, stats } = buildProvider(conf, options);

  if (!trace.setGlobalTracerProvider(provider)) {
    // Someone (a user's own NodeSDK, a test tracer) already owns tracing: leave theirs in place.
    log('warn', 'a global tracer provider is already registered; the zeroscope agent leaves it in place');
    void provider.shutdown();
    store[STATE_KEY] = { status: 'foreign' };
    return;
  }
  diagFromEnv();
  const contextManager = new (contextAsyncHooks().AsyncLocalStorageContextManager)().enable();
  const ownContext = context.setGlobalContextManager(contextManager);
  if (!ownContext) contextManager.disable();
  propagation.setGlobalPropagator(createPropagator(conf.Propagators));
  // The outgoing-call instrumentations load once the service is up (warmUpAgent) or when the
  // first span becomes active through our context manager; under someone else's, at once as before.
  const instrumentations = ownContext
    ? instrumentOnFirstSpan(contextManager, conf, (message) => log('warn', message))
    : { installNow() {}, off: instrument(outgoingInstrumentations(conf)) };
  // Every SDK-internal error (export failures included) ends up here: one warning per outage.
  setGlobalErrorHandler((error) => {
    // Export failures were already logged and counted by the export guard.
    if (isReportedExportError(error)) return;
    if (health) health.failed(error);
    else log('warn', `tracing error: ${String(error)}`);
  });
  store[STATE_KEY] = { status: 'running', provider, stats, instrumentations };
}

/**
 * Flushes pending spans and shuts the agent down, waiting at most `timeoutMs`. Safe to call when
 * the agent never started, and more than once. Spans ended afterwards are dropped.
 */
export async function shutdownAgent(timeoutMs = DEFAULT_STOP_TIMEOUT_MS): Promise<void> {
  const state = store[STATE_KEY];
  if (state?.status !== 'running') return;
  store[STATE_KEY] = { status: 'stopped', stats: state.stats };
  state.instrumentations.off();
  await bounded(state.provider.shutdown(), timeoutMs);
}

/**
 * Loads now what the running agent left for later so start-up would not wait for it (the
 * outgoing-call instrumentations): the service group calls it once every server listens, so the
 * first request does not pay for it either. A no-op when the agent is not running or has nothing left.
 */
export function warmUpAgent(): void {
  const state = store[STATE_KEY];
  if (state?.status === 'running') state.instrumentations.installNow();
}

/** Exports every span ended so far, waiting at most `timeoutMs`. A no-op when the agent is not running. */
export async function flushAgent(timeoutMs = DEFAULT_STOP_TIMEOUT_MS): Promise<void> {
  const state = store[STATE_KEY];
  if (state?.status !== 'running') return;
  await bounded(state.provider.forceFlush(), timeoutMs);
}

/**
 * What the running (or stopped) agent's export pipeline has done: spans exported, dropped because
 * the queue was full, lost in failed exports, export calls that failed, spans queued now. All zero
 * when the agent never exported (not started, disabled, no Endpoint).
 */
export function agentStats(): ExportStats {
  const state = store[STATE_KEY];
  return state !== undefined && 'stats' in state && state.stats !== undefined ? { ...state.stats } : emptyStats();
}

/**
 * True once a config said `Telemetry.Disabled: true`. The servers and clients built after that
 * leave their Trace middlewares out: with no provider they would only make no-op spans, and each
 * costs its layer per request.
 */
export function tracingDisabled(): boolean {
  return store[STATE_KEY]?.status === 'disabled';
}

/** What the agent is doing: never started, running, disabled by config, stopped, or deferring to another provider. */
export function agentStatus(): 'idle' | AgentState['status'] {
  return store[STATE_KEY]?.status ?? 'idle';
}

/** Waits for `work` up to `ms`; a failure or timeout is swallowed since stopping must not throw. */
async function bounded(work: Promise<void>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<void>((resolve) => {
    timer = setTimeout(resolve, ms);
    timer.unref();
  });
  try {
    await Promise.race([work.catch(() => undefined), timeout]);
  } finally {
    clearTimeout(timer);
  }
}
