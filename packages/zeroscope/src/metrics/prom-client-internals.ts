/**
 * The one place that leans on prom-client (15.x) beyond its typed API; prom-client-internals.test.ts
 * checks each assumption against the installed version, so an upgrade that breaks one fails there:
 *
 * - a registry's exposition format can be switched at run time with `setContentType` and read
 *   back from `contentType` (the types fix it per registry through a type parameter);
 * - rendering OpenMetrics renames counters in place (drops `_total` from the metric's `name`),
 *   and `name` is a plain writable field the text renderer reads, so writing it back undoes that.
 */
import { Registry } from 'prom-client';

/** Prometheus text format 0.0.4: what most scrapers and parsers read; it has no exemplars. */
export const PROMETHEUS_CONTENT_TYPE = Registry.PROMETHEUS_CONTENT_TYPE;
/** OpenMetrics 1.0: the format that carries exemplars. */
export const OPENMETRICS_CONTENT_TYPE = Registry.OPENMETRICS_CONTENT_TYPE;

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
