import type { AddressInfo } from 'node:net';
import type { Registry } from 'prom-client';
import type { PrometheusConf } from './config.ts';
import { OPENMETRICS_CONTENT_TYPE, promClient } from './prom-client-internals.ts';
import { type MetricsServer, startMetricsServer } from './server.ts';

interface MetricsState {
  /** Made on first use: prom-client is loaded only by a service that asks for metrics. */
  registry?: Registry;
  server?: MetricsServer;
  address?: AddressInfo;
}

// On globalThis so two copies of this module (src and a build, say) still share one registry.
const STATE_KEY = Symbol.for('zeroscope.metrics.state');
const store = globalThis as { [STATE_KEY]?: MetricsState };

/**
 * A new registry of the kind the framework's instruments need: OpenMetrics, since prom-client
 * keeps exemplars only there (the metrics server renders Prometheus text from it too). Tests and
 * services that want a registry of their own start here.
 */
export function createMetricsRegistry(): Registry {
  // prom-client's types declare no constructor argument; the runtime takes the content type.
  const OpenMetricsRegistry = promClient().Registry as unknown as new (contentType: string) => Registry;
  return new OpenMetricsRegistry(OPENMETRICS_CONTENT_TYPE);
}

function state(): MetricsState {
  return (store[STATE_KEY] ??= {});
}

/**
 * The process registry: the framework's instruments live here, and so may the service's own. It
 * is an OpenMetrics registry (exemplars need one); the metrics server renders either format.
 */
export function metricsRegistry(): Registry {
  const current = state();
  return (current.registry ??= createMetricsRegistry());
}

/**
 * True once a `Prometheus` block started the metrics server (go-zero's `prometheus.Enabled()`).
 * Until then the metrics middleware record nothing, so a service without the block pays nothing.
 */
export function metricsEnabled(): boolean {
  return state().server !== undefined;
}

/** Where the metrics server listens, once bound; undefined before (or without) one. */
export function metricsAddress(): AddressInfo | undefined {
  return state().address;
}

/**
 * Starts the process's metrics server from a `Prometheus` block, once: later calls are no-ops,
 * so every server's set-up may call it. Adds Node's default process metrics (CPU, memory, event
 * loop lag, GC) as go-zero's Go runtime metrics. A listen failure is handed to `onError` and
 * metrics stay off, so a later set-up may retry.
 */
export function startMetrics(conf: PrometheusConf, onError: (err: unknown) => void = warn): MetricsServer {
  const current = state();
  if (current.server !== undefined) return current.server;
  const registry = metricsRegistry();
  if (registry.getSingleMetric('process_cpu_user_seconds_total') === undefined) {
    promClient().collectDefaultMetrics({ register: registry });
  }
  const server = startMetricsServer(conf, registry);
  current.server = server;
  server.ready.then(
    (address) => {
      if (current.server === server) current.address = address;
    },
    (err: unknown) => {
      if (current.server === server) current.server = undefined;
      onError(err);
    },
  );
  return server;
}

/** Closes the metrics server (metrics stop being recorded). Safe when none runs. */
export async function stopMetrics(): Promise<void> {
  const current = state();
  const server = current.server;
  current.server = undefined;
  current.address = undefined;
  await server?.close();
}

function warn(err: unknown): void {
  console.warn(`[zeroscope/metrics] ${err instanceof Error ? err.message : String(err)}`);
}
