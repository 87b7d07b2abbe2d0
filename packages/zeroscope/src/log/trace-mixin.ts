import { context, isSpanContextValid, type SpanContext, trace } from '@opentelemetry/api';

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
  const spanContext = lineSpanContext();
  return spanContext === undefined ? NONE : { trace_id: spanContext.traceId, span_id: spanContext.spanId };
}

/**
 * The span context a line logged here carries: the active span's, when it is valid (its ids are
 * then hex digits, safe to write into a line unescaped). The one rule for the mixin and for
 * access lines written without pino.
 */
export function lineSpanContext(): SpanContext | undefined {
  const span = trace.getSpan(context.active());
  if (span === undefined) return undefined;
  const spanContext = span.spanContext();
  return isSpanContextValid(spanContext) ? spanContext : undefined;
}

/**
 * pino mixinMergeStrategy for {@link traceMixin}: the line's own fields win (a caller may log a
 * `trace_id` explicitly), and the shared empty result is never written to.
 */
export function mergeTraceFields(mergeObject: object, mixinObject: object): object {
  return mixinObject === NONE ? mergeObject : Object.assign(mixinObject, mergeObject);
}
