/**
 * Tempo's span-metrics processor: for every span, one call and one latency observation under
 * (service, span_name, span_kind, status_code), Tempo's default intrinsic dimensions.
 */
import type { ExportTraceServiceRequest } from '../otlp/index.ts';
import type { GeneratorMetrics } from './metrics.ts';
import { SPAN_KIND_NAMES, STATUS_CODE_NAMES, durationSeconds, findAttribute } from './span-facts.ts';

/** Counts every span of the request. */
export function recordSpanMetrics(metrics: GeneratorMetrics, request: ExportTraceServiceRequest): void {
  for (const rs of request.resourceSpans) {
    const service = findAttribute('service.name', rs.resource?.attributes) ?? '';
    for (const ss of rs.scopeSpans) {
      for (const span of ss.spans) {
        const labels = {
          service,
          span_name: span.name,
          span_kind: SPAN_KIND_NAMES[span.kind] ?? SPAN_KIND_NAMES[0],
          status_code: STATUS_CODE_NAMES[span.status?.code ?? 0] ?? STATUS_CODE_NAMES[0],
        };
        metrics.callsTotal.inc(labels);
        metrics.latency.observe(labels, durationSeconds(span));
      }
    }
  }
}
