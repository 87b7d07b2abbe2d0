import { Registry } from 'prom-client';

/** Prometheus text format 0.0.4: what most scrapers and parsers read; it has no exemplars. */
export const PROMETHEUS_CONTENT_TYPE = Registry.PROMETHEUS_CONTENT_TYPE;
/** OpenMetrics 1.0: the format that carries exemplars. */
export const OPENMETRICS_CONTENT_TYPE = Registry.OPENMETRICS_CONTENT_TYPE;

/** True when an Accept header asks for OpenMetrics (Prometheus does with exemplar storage on). */
export function wantsOpenMetrics(accept: string | undefined): boolean {
  return accept !== undefined && accept.includes('application/openmetrics-text');
}

// One render at a time per registry: the content type is a registry-wide switch.
const queues = new WeakMap<Registry, Promise<unknown>>();

/**
 * Renders `registry` as Prometheus text or as OpenMetrics (with exemplars). prom-client fixes the
 * format per registry (instruments with exemplars need an OpenMetrics one) and, rendering
 * OpenMetrics, renames counters in place (drops `_total`), which would change the names the next
 * text render prints; so the format is switched for the one render, the names are put back after
 * it, and renders are queued.
 */
export function renderMetrics(registry: Registry, openMetrics: boolean): Promise<string> {
  const previous = queues.get(registry) ?? Promise.resolve();
  const next = previous.catch(() => undefined).then(async () => {
    // prom-client types the content type as fixed per registry; it is switchable at runtime.
    const switchable = registry as unknown as { contentType: string; setContentType(type: string): void };
    const names = registry.getMetricsAsArray().map((metric) => [metric, (metric as unknown as MutableName).name] as const);
    const before = switchable.contentType;
    switchable.setContentType(openMetrics ? OPENMETRICS_CONTENT_TYPE : PROMETHEUS_CONTENT_TYPE);
    try {
      return await registry.metrics();
    } finally {
      switchable.setContentType(before);
      for (const [metric, name] of names) (metric as unknown as MutableName).name = name;
    }
  });
  queues.set(registry, next);
  return next;
}

type MutableName = { name: string };
