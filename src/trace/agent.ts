/**
 * The trace agent (go-zero's core/trace/agent.go) on the official OpenTelemetry JS SDK. This is the
 * only module that imports `@opentelemetry/sdk-trace-*`: everything else speaks `@opentelemetry/api`.
 */
import { hostname } from 'node:os';
import { context, propagation, trace, type TracerProvider } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { CompositePropagator, W3CBaggagePropagator, W3CTraceContextPropagator, setGlobalErrorHandler } from '@opentelemetry/core';
import { defaultResource, resourceFromAttributes } from '@opentelemetry/resources';
import {
  BasicTracerProvider,
  BatchSpanProcessor,
  ParentBasedSampler,
  TraceIdRatioBasedSampler,
  type SpanProcessor,
} from '@opentelemetry/sdk-trace-base';
import type { TelemetryConf } from './config.ts';
import { ExportHealth, consoleLog, watchExporter, type AgentLog } from './export-health.ts';
import { createExporter } from './exporters/registry.ts';

/** The agent's config: the Telemetry block with its service name filled in. */
export type AgentConf = TelemetryConf & { Name: string };

/** Extra knobs of {@link startAgent} / {@link createTracerProvider}. */
export interface AgentOptions {
  /** More resource attributes (e.g. `deployment.environment.name`); `service.name` is always `Name`. */
  resource?: Record<string, string | number | boolean>;
  /** Where the agent's warnings go (default: stderr). */
  log?: AgentLog;
}

/** A tracer provider the caller owns: flush it, shut it down. Hides the SDK type on purpose. */
export interface AgentProvider extends TracerProvider {
  forceFlush(): Promise<void>;
  shutdown(): Promise<void>;
}

/**
 * Batching: the queue is bounded (spans beyond it are dropped, never buffered without limit); one
 * second between exports so a span shows up in the UI about as fast as you can switch windows.
 */
const BATCH_LIMITS = { maxQueueSize: 2048, maxExportBatchSize: 512, scheduledDelayMillis: 1000, exportTimeoutMillis: 10_000 };

/** How long shutdown/flush may take before the agent gives up waiting (the app must still exit). */
const DEFAULT_STOP_TIMEOUT_MS = 5000;

/**
 * Builds a provider from `conf` without registering anything globally: sampler
 * ParentBased(TraceIdRatioBased(Sampler)), resource `service.name` = Name, and — when there is an
 * Endpoint — the Batcher's exporter behind a bounded BatchSpanProcessor. Without an Endpoint spans
 * are sampled and dropped (go-zero does the same). `Disabled` is the caller's concern. Tests use
 * this directly because the global agent starts once per process.
 */
export function createTracerProvider(conf: AgentConf, options: AgentOptions = {}): AgentProvider {
  return buildProvider(conf, options).provider;
}

function buildProvider(conf: AgentConf, options: AgentOptions): { provider: BasicTracerProvider; health?: ExportHealth } {
  const log = options.log ?? consoleLog;
  const spanProcessors: SpanProcessor[] = [];
  let health: ExportHealth | undefined;
  if (conf.Endpoint) {
    const { exporter, target } = createExporter({ ...conf, Endpoint: conf.Endpoint });
    health = new ExportHealth(`${conf.Batcher} ${target}`, log);
    spanProcessors.push(new BatchSpanProcessor(watchExporter(exporter, health), BATCH_LIMITS));
  }
  const resource = defaultResource().merge(
    resourceFromAttributes({
      'host.name': hostname(),
      'process.pid': process.pid,
      ...options.resource,
      'service.name': conf.Name,
    }),
  );
  const provider = new BasicTracerProvider({
    resource,
    sampler: new ParentBasedSampler({ root: new TraceIdRatioBasedSampler(conf.Sampler) }),
    spanProcessors,
  });
  return { provider, health };
}

type AgentState =
  | { status: 'disabled' | 'stopped' | 'foreign' }
  | { status: 'running'; provider: BasicTracerProvider };

// On globalThis so two copies of this module (src and a build, say) still share one agent.
const STATE_KEY = Symbol.for('zeroscope.trace.agent');
const store = globalThis as { [STATE_KEY]?: AgentState };

/**
 * Starts tracing for this process from a Telemetry config (go-zero's StartAgent). Only the first
 * successful call counts; later calls are no-ops, so every server's set-up may call it. Installs the
 * provider, W3C tracecontext + baggage propagation and an AsyncLocalStorage context manager
 * globally. `Disabled: true` installs nothing and opens no connection. Throws `TraceError` for an
 * unusable Batcher/Endpoint, leaving the agent unstarted so a later call may retry.
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
  const { provider, health } = buildProvider(conf, options);

  if (!trace.setGlobalTracerProvider(provider)) {
    // Someone (a user's own NodeSDK, a test tracer) already owns tracing: leave theirs in place.
    log('warn', 'a global tracer provider is already registered; the zeroscope agent leaves it in place');
    void provider.shutdown();
    store[STATE_KEY] = { status: 'foreign' };
    return;
  }
  const contextManager = new AsyncLocalStorageContextManager().enable();
  if (!context.setGlobalContextManager(contextManager)) contextManager.disable();
  propagation.setGlobalPropagator(
    new CompositePropagator({ propagators: [new W3CTraceContextPropagator(), new W3CBaggagePropagator()] }),
  );
  // Every SDK-internal error (export failures included) ends up here: one warning per outage.
  setGlobalErrorHandler((error) => (health ? health.failed(error) : log('warn', `tracing error: ${String(error)}`)));
  store[STATE_KEY] = { status: 'running', provider };
}

/**
 * Flushes pending spans and shuts the agent down, waiting at most `timeoutMs`. Safe to call when
 * the agent never started, and more than once. Spans ended afterwards are dropped.
 */
export async function shutdownAgent(timeoutMs = DEFAULT_STOP_TIMEOUT_MS): Promise<void> {
  const state = store[STATE_KEY];
  if (state?.status !== 'running') return;
  store[STATE_KEY] = { status: 'stopped' };
  await bounded(state.provider.shutdown(), timeoutMs);
}

/** Exports every span ended so far, waiting at most `timeoutMs`. A no-op when the agent is not running. */
export async function flushAgent(timeoutMs = DEFAULT_STOP_TIMEOUT_MS): Promise<void> {
  const state = store[STATE_KEY];
  if (state?.status !== 'running') return;
  await bounded(state.provider.forceFlush(), timeoutMs);
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
