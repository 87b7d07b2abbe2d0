import { context, isSpanContextValid, trace } from '@opentelemetry/api';

/** The fields the mixin adds: OpenTelemetry's names, which Loki and Grafana link on. */
export interface TraceFields {
  trace_id?: string;
  span_id?: string;
}

// Returned when there is no span, so lines outside a request allocate nothing.
const NONE: TraceFields = Object.freeze({});

/**
 * pino mixin: `trace_id` and `span_id` of the span active where the line is logged (go-zero's
 * `trace`/`span` fields). Lines outside any span get neither. The lookup is one AsyncLocalStorage
 * read, cheap enough to run on every line.
 */
export function traceMixin(): TraceFields {
  const span = trace.getSpan(context.active());
  if (span === undefined) return NONE;
  const spanContext = span.spanContext();
  if (!isSpanContextValid(spanContext)) return NONE;
  return { trace_id: spanContext.traceId, span_id: spanContext.spanId };
}

/**
 * pino mixinMergeStrategy for {@link traceMixin}: the line's own fields win (a caller may log a
 * `trace_id` explicitly), and the shared empty result is never written to.
 */
export function mergeTraceFields(mergeObject: object, mixinObject: object): object {
  return mixinObject === NONE ? mergeObject : Object.assign(mixinObject, mergeObject);
}
