/**
 * The one place that leans on prom-client (15.x) beyond its typed API; prom-client-internals.test.ts
 * checks each assumption against the installed version, so an upgrade that breaks one fails there:
 *
 * - a registry's exposition format can be switched at run time with `setContentType` and read
 *   back from `contentType` (the types fix it per registry through a type parameter);
 * - its two content types are the constants written out below;
 * - rendering OpenMetrics renames counters in place (drops `_total` from the metric's `name`),
 *   and `name` is a plain writable field the text renderer reads, so writing it back undoes that.
 */
import type * as PromClient from 'prom-client';
import type { Registry } from 'prom-client';
import { loadOnUse } from '../internal/load-on-use.ts';

/**
 * prom-client itself (with tdigest and bintrees under it), loaded when the first registry or
 * instrument is made: only a service with a `Prometheus` block (or code of its own that asks for the
 * registry) does, so every other service starts without it. CommonJS, so this is the module an
 * import would load.
 */
export function promClient(): typeof PromClient {
  return loadOnUse('prom-client') as typeof PromClient;
}

/**
 * Prometheus text format 0.0.4: what most scrapers and parsers read; it has no exemplars. The
 * value of prom-client's `Registry.PROMETHEUS_CONTENT_TYPE`, written out so that naming a format
 * loads nothing (prom-client-internals.test.ts checks they stay equal).
 */
export const PROMETHEUS_CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';
/** OpenMetrics 1.0: the format that carries exemplars (prom-client's `Registry.OPENMETRICS_CONTENT_TYPE`). */
export const OPENMETRICS_CONTENT_TYPE = 'application/openmetrics-text; version=1.0.0; charset=utf-8';

/** The registry as prom-client's code treats it: one switchable format. */
interface SwitchableRegistry {
  readonly contentType: string;
  setContentType(type: string): void;
}

/** A registered metric as prom-client's renderer treats it: its `name` is rewritten in place. */
interface RenamableMetric {
  name: string;
}

/**
 * Renders `registry` in one format, leaving it as it was: the format it had and every metric's
 * name (prom-client's OpenMetrics render drops counters' `_total` in place, which would change
 * what the next text render prints). Not reentrant for one registry: callers queue renders.
 */
export async function renderInFormat(registry: Registry, openMetrics: boolean): Promise<string> {
  const switchable = registry as unknown as SwitchableRegistry;
  const names = registry.getMetricsAsArray().map((metric) => [metric as unknown as RenamableMetric, (metric as unknown as RenamableMetric).name] as const);
  const before = switchable.contentType;
  switchable.setContentType(openMetrics ? OPENMETRICS_CONTENT_TYPE : PROMETHEUS_CONTENT_TYPE);
  try {
    return await registry.metrics();
  } finally {
    switchable.setContentType(before);
    for (const [metric, name] of names) metric.name = name;
  }
}
