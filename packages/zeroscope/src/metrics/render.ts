import type { Registry } from 'prom-client';
import { OPENMETRICS_CONTENT_TYPE, PROMETHEUS_CONTENT_TYPE, renderInFormat } from './prom-client-internals.ts';

export { OPENMETRICS_CONTENT_TYPE, PROMETHEUS_CONTENT_TYPE };

/** True when an Accept header asks for OpenMetrics (Prometheus does with exemplar storage on). */
export function wantsOpenMetrics(accept: string | undefined): boolean {
  return accept !== undefined && accept.includes('application/openmetrics-text');
}

// One render at a time per registry: the content type is a registry-wide switch.
const queues = new WeakMap<Registry, Promise<unknown>>();

/**
 * Renders `registry` as Prometheus text or as OpenMetrics (with exemplars). prom-client fixes the
 * format per registry (instruments with exemplars need an OpenMetrics one) and, rendering
 * OpenMetrics, renames counters in place; so each render switches the format for itself and
 * restores the registry after (prom-client-internals.ts), and renders are queued.
 */
export function renderMetrics(registry: Registry, openMetrics: boolean): Promise<string> {
  const previous = queues.get(registry) ?? Promise.resolve();
  const next = previous.catch(() => undefined).then(() => renderInFormat(registry, openMetrics));
  queues.set(registry, next);
  return next;
}
