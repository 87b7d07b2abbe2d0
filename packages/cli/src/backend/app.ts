/**
 * The zeroscope backend in one process: the durable store, its retention sweep, the
 * Tempo-compatible query API (which also serves the UI) and the three receivers. Like Tempo's
 * `cmd/tempo/app/modules.go`, the modules and what each depends on are listed explicitly, the
 * start order is derived from that map, and one function starts them in order and stops them in
 * reverse.
 */
import { createQueryApi, type MetricsSource, type SearchEngine } from './api/index.ts';
import type { BackendConfig } from './config.ts';
import { assertExposureAllowed, defaultMinFreeBytes, diskSpaceGuard, pushLimiter, statfsFreeBytes, statfsTotalBytes } from './guard/index.ts';
import { createMetricsGenerator, type MetricsGenerator } from './generator/index.ts';
import { openLogStore, type LogStore } from './logstore/index.ts';
import { DEFAULT_MAX_INSPECTED_TRACES, traceqlMetricsEngine, traceqlSearchEngine } from './query/index.ts';
import {
  BodyBudget,
  createOtlpGrpcReceiver,
  createOtlpHttpReceiver,
  createZipkinReceiver,
  type LogsPusher,
  type TracesPusher,
} from './receivers/index.ts';
import { openStore, type TraceStore } from './store/index.ts';
import { startOrder } from './module-order.ts';

/** The modules of the backend process. */
export type ModuleName = 'store' | 'logstore' | 'generator' | 'retention' | 'query-api' | 'otlp-http' | 'otlp-grpc' | 'zipkin';

/**
 * What each module needs running before it starts; the start order is derived from it (stop is
 * the reverse). Receivers need the query API as well as the store: no span is accepted before it
 * can be stored and queried, and every acknowledged span is written before the store closes. The
 * query API stops before the store so no read races the close.
 */
export const MODULE_DEPENDENCIES: Readonly<Record<ModuleName, readonly ModuleName[]>> = {
  store: [],
  logstore: [],
  generator: [],
  retention: ['store', 'logstore'],
  'query-api': ['store', 'logstore', 'generator'],
  'otlp-http': ['store', 'logstore', 'generator', 'query-api'],
  'otlp-grpc': ['store', 'logstore', 'generator', 'query-api'],
  zipkin: ['store', 'generator', 'query-api'],
};

/** Start order (stop is the reverse), derived from {@link MODULE_DEPENDENCIES}. */
export const START_ORDER: readonly ModuleName[] = startOrder(MODULE_DEPENDENCIES);

/** Where a running backend listens. */
export interface BackendAddresses {
  /** OTLP/HTTP base URL; traces go to `${otlpHttp}/v1/traces`. */
  otlpHttp: string;
  /** OTLP/gRPC `host:port`. */
  otlpGrpc: string;
  /** Zipkin base URL; spans go to `${zipkin}/api/v2/spans`. */
  zipkin: string;
  /** Tempo-compatible query API base URL (Grafana's Tempo data source URL). */
  query: string;
  /** The web UI. */
  ui: string;
}

/** A running backend. */
export interface RunningBackend {
  readonly addresses: BackendAddresses;
  /** The open store (for in-process use, e.g. `zeroscope demo`). */
  readonly store: TraceStore;
  /** The open log store. */
  readonly logs: LogStore;
  /** Stops receivers, then the API, then closes the store. Safe to call twice. */
  stop(): Promise<void>;
}

/** Options beside the config. */
export interface StartOptions {
  /** Background failures (retention sweep, unexpected handler errors); default console.error. */
  onError?: (err: unknown) => void;
}

type Stop = () => Promise<void>;

interface ModuleContext {
  config: BackendConfig;
  onError: (err: unknown) => void;
  store?: TraceStore;
  logs?: LogStore;
  generator?: MetricsGenerator;
  /** The store behind the guards, shared by every receiver so the limits are global. */
  pusher?: TracesPusher;
  logsPusher?: LogsPusher;
  bodyBudget?: BodyBudget;
  /** The free-disk floor in force (see needFloor). */
  minFreeBytes?: number;
  addresses: Partial<BackendAddresses>;
}

/** The TraceQL package as the query API's SearchEngine. */
export function traceqlEngine(): SearchEngine {
  return traceqlSearchEngine;
}

function hostForUrl(host: string): string {
  return host.includes(':') ? `[${host}]` : host;
}

/**
 * The store as the receivers' pusher. The decoded request is exactly what the store takes; the
 * cast only bridges the two packages' declared shapes (otlp's interfaces lack the store's index
 * signatures). With a generator, each export feeds it once stored, so a refused (and retried)
 * export is not counted twice.
 */
export function storePusher(store: TraceStore, generator?: MetricsGenerator): TracesPusher {
  return {
    async push(request) {
      // Read for the metrics now, counted once stored: the decoded request is not kept alive
      // across the commit wait (it dies young instead of being copied by the garbage collector).
      const record = generator?.read(request);
      await store.push(request);
      record?.();
    },
  };
}

/** The log store as the receivers' logs pusher. */
export function logStorePusher(logs: LogStore): LogsPusher {
  return {
    async push(request) {
      await logs.push(request);
    },
  };
}

/** The free-disk floor: configured, or sized for the data dir's disk when the store opened. */
function needFloor(ctx: ModuleContext): number {
  if (ctx.minFreeBytes === undefined) throw new Error('the store module must start first');
  return ctx.minFreeBytes;
}

const UNREADABLE = 'zeroscope_store_unreadable_records';

/**
 * The generator's metrics plus the store's count of records a search had to skip because they
 * would not decode (each also logged once), so a damaged record shows on a dashboard.
 */
export function withStoreMetrics(source: MetricsSource, store: Pick<TraceStore, 'stats'>): MetricsSource {
  return {
    contentType: source.contentType,
    async metrics() {
      const [text, stats] = await Promise.all([source.metrics(), store.stats()]);
      const count = stats.unreadableRecords ?? 0;
      const help = `# HELP ${UNREADABLE}_total Stored records a search skipped because they could not be decoded.\n`;
      if (source.contentType.includes('openmetrics')) {
        // OpenMetrics ends with `# EOF`, names counter families without `_total`.
        const family = `${help.replace(`${UNREADABLE}_total`, UNREADABLE)}# TYPE ${UNREADABLE} counter\n${UNREADABLE}_total ${count}\n`;
        return text.includes('# EOF') ? text.replace('# EOF', `${family}# EOF`) : `${text}${family}`;
      }
      return `${text}${text === '' || text.endsWith('\n') ? '' : '\n'}${help}# TYPE ${UNREADABLE}_total counter\n${UNREADABLE}_total ${count}\n`;
    },
  };
}

function needLogs(ctx: ModuleContext): LogStore {
  if (!ctx.logs) throw new Error('the logstore module must start first');
  return ctx.logs;
}

function needStore(ctx: ModuleContext): TraceStore {
  if (!ctx.store) throw new Error('the store module must start first');
  return ctx.store;
}

/**
 * What the receivers push into: the push limiter (503 + Retry-After when the store lags), then
 * the free-disk floor (507), then the store (507 on its quota or a disk-full commit).
 */
function needPusher(ctx: ModuleContext): TracesPusher {
  ctx.pusher ??= pushLimiter(
    diskSpaceGuard(storePusher(needStore(ctx), ctx.generator), {
      path: ctx.config.dataDir,
      minFreeBytes: needFloor(ctx),
    }),
    ctx.config.pushLimits,
  );
  return ctx.pusher;
}

/** The log store behind its own limiter and the same free-disk floor, so logs cannot starve traces. */
function needLogsPusher(ctx: ModuleContext): LogsPusher {
  ctx.logsPusher ??= pushLimiter(
    diskSpaceGuard(logStorePusher(needLogs(ctx)), {
      path: ctx.config.dataDir,
      minFreeBytes: needFloor(ctx),
    }),
    ctx.config.pushLimits,
  );
  return ctx.logsPusher;
}

/** One budget for the bodies every receiver holds at once (receivers/body-budget.ts). */
function needBodyBudget(ctx: ModuleContext): BodyBudget {
  ctx.bodyBudget ??= new BodyBudget();
  return ctx.bodyBudget;
}

/** How each module starts; each returns how it stops. */
const MODULES: Record<ModuleName, (ctx: ModuleContext) => Promise<Stop>> = {
  async store(ctx) {
    // The retention module below owns the sweep timer, so the store's own is switched off.
    const store = await openStore({
      dataDir: ctx.config.dataDir,
      retention: { maxAgeMs: ctx.config.retentionMs, sweepIntervalMs: 0 },
      onError: ctx.onError,
      ...(ctx.config.maxDataBytes !== undefined ? { maxDataBytes: ctx.config.maxDataBytes } : {}),
    });
    ctx.store = store;
    // Part of the start-up check: say so now, not at the first refused write.
    const free = await statfsFreeBytes(ctx.config.dataDir).catch(() => Infinity);
    const floor = ctx.config.minFreeDiskBytes ?? defaultMinFreeBytes(await statfsTotalBytes(ctx.config.dataDir).catch(() => NaN));
    ctx.minFreeBytes = floor;
    if (free < floor) ctx.onError(new Error(`zeroscope: only ${free} bytes free under ${ctx.config.dataDir}; writes answer 507 below ${floor}`));
    return () => store.close();
  },

  async logstore(ctx) {
    // Logs are kept as long as traces; the retention module sweeps both.
    const logs = await openLogStore({ dataDir: ctx.config.dataDir, maxAgeMs: ctx.config.retentionMs });
    ctx.logs = logs;
    return () => logs.close();
  },

  async generator(ctx) {
    const generator = createMetricsGenerator(ctx.config.generator ?? {}, ctx.onError);
    ctx.generator = generator;
    return async () => generator.stop();
  },

  async retention(ctx) {
    const store = needStore(ctx);
    const logs = needLogs(ctx);
    let running: Promise<unknown> = Promise.resolve();
    const sweep = () => {
      running = Promise.all([store.sweep().catch(ctx.onError), logs.sweep().catch(ctx.onError)]);
    };
    sweep(); // data left from the last run may already be past retention
    const timer = setInterval(sweep, ctx.config.sweepIntervalMs);
    timer.unref();
    return async () => {
      clearInterval(timer);
      await running;
    };
  },

  async 'query-api'(ctx) {
    const store = needStore(ctx);
    const { config } = ctx;
    const api = createQueryApi({
      traces: store,
      fetcher: store,
      catalog: store,
      engine: traceqlEngine(),
      metricsEngine: traceqlMetricsEngine,
      logs: needLogs(ctx),
      ...(ctx.generator ? { metrics: withStoreMetrics(ctx.generator, store), serviceGraph: ctx.generator } : {}),
      // A streamed search spends the same scan budget as one over HTTP, across all its jobs.
      streamingSearch: { maxInspectedTraces: DEFAULT_MAX_INSPECTED_TRACES },
      host: config.host,
      port: config.ports.query,
      onError: ctx.onError,
      ...(config.uiDir ? { uiDir: config.uiDir } : {}),
      ...(config.corsOrigins ? { corsOrigins: config.corsOrigins } : {}),
      ...(config.authToken ? { authToken: config.authToken } : {}),
      ...(config.allowedHosts ? { allowedHosts: config.allowedHosts } : {}),
    });
    await api.start();
    ctx.addresses.query = `http://${hostForUrl(config.host)}:${api.port}`;
    ctx.addresses.ui = `${ctx.addresses.query}/`;
    return () => api.stop();
  },

  async 'otlp-http'(ctx) {
    const receiver = createOtlpHttpReceiver({
      host: ctx.config.host,
      port: ctx.config.ports.otlpHttp,
      pusher: needPusher(ctx),
      logs: needLogsPusher(ctx),
      bodyBudget: needBodyBudget(ctx),
      onError: ctx.onError,
      ...(ctx.config.authToken ? { authToken: ctx.config.authToken } : {}),
      ...(ctx.config.allowedHosts ? { allowedHosts: ctx.config.allowedHosts } : {}),
    });
    const { port } = await receiver.start();
    ctx.addresses.otlpHttp = `http://${hostForUrl(ctx.config.host)}:${port}`;
    return () => receiver.stop();
  },

  async 'otlp-grpc'(ctx) {
    const receiver = createOtlpGrpcReceiver({
      host: ctx.config.host,
      port: ctx.config.ports.otlpGrpc,
      pusher: needPusher(ctx),
      logs: needLogsPusher(ctx),
      bodyBudget: needBodyBudget(ctx),
      onError: ctx.onError,
      ...(ctx.config.authToken ? { authToken: ctx.config.authToken } : {}),
    });
    const { port } = await receiver.start();
    ctx.addresses.otlpGrpc = `${hostForUrl(ctx.config.host)}:${port}`;
    return () => receiver.stop();
  },

  async zipkin(ctx) {
    const receiver = createZipkinReceiver({
      host: ctx.config.host,
      port: ctx.config.ports.zipkin,
      pusher: needPusher(ctx),
      bodyBudget: needBodyBudget(ctx),
      onError: ctx.onError,
      ...(ctx.config.authToken ? { authToken: ctx.config.authToken } : {}),
      ...(ctx.config.allowedHosts ? { allowedHosts: ctx.config.allowedHosts } : {}),
    });
    const { port } = await receiver.start();
    ctx.addresses.zipkin = `http://${hostForUrl(ctx.config.host)}:${port}`;
    return () => receiver.stop();
  },
};

/** Stops modules in reverse start order, each even if an earlier one failed; rethrows the first failure. */
async function stopAll(stops: Stop[]): Promise<void> {
  let failure: unknown;
  for (const stop of [...stops].reverse()) {
    try {
      await stop();
    } catch (err) {
      failure ??= err;
    }
  }
  if (failure !== undefined) throw failure;
}

/**
 * Starts every module in START_ORDER. If one fails, those already started are stopped and the
 * error is rethrown (a port in use, an unopenable data dir).
 * @example
 * const backend = await startBackend(resolveBackendConfig());
 * console.log(backend.addresses.ui);
 * await backend.stop();
 */
export async function startBackend(config: BackendConfig, options: StartOptions = {}): Promise<RunningBackend> {
  // resolveBackendConfig checks this too; a hand-built config must not skip it.
  assertExposureAllowed(config.host, config.authToken);
  const ctx: ModuleContext = {
    config,
    onError: options.onError ?? ((err) => console.error('zeroscope:', err)),
    addresses: {},
  };
  const stops: Stop[] = [];
  try {
    for (const name of START_ORDER) stops.push(await MODULES[name](ctx));
  } catch (err) {
    await stopAll(stops).catch(() => {});
    throw err;
  }
  let stopping: Promise<void> | undefined;
  return {
    addresses: ctx.addresses as BackendAddresses,
    store: needStore(ctx),
    logs: needLogs(ctx),
    stop: () => (stopping ??= stopAll(stops)),
  };
}
