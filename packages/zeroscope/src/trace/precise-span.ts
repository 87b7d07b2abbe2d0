import {
  context,
  trace,
  type Attributes,
  type Context,
  type Exception,
  type Link,
  type Span,
  type SpanAttributeValue,
  type SpanContext,
  type SpanOptions,
  type SpanStatus,
  type TimeInput,
  type Tracer,
} from '@opentelemetry/api';
import { preciseNow } from './clock.ts';

function isTimeInput(value: unknown): value is TimeInput {
  return typeof value === 'number' || value instanceof Date || (Array.isArray(value) && value.length === 2 && typeof value[0] === 'number');
}

/**
 * A recording span whose start, events, exceptions and end default to {@link preciseNow}. The SDK
 * takes an unspecified start from Date.now() (whole milliseconds), and once a start is given it
 * takes unspecified event and end times from Date.now() too, so every time is filled in here.
 */
class PreciseSpan implements Span {
  constructor(private readonly span: Span) {}

  spanContext(): SpanContext {
    return this.span.spanContext();
  }
  setAttribute(key: string, value: SpanAttributeValue): this {
    this.span.setAttribute(key, value);
    return this;
  }
  setAttributes(attributes: Attributes): this {
    this.span.setAttributes(attributes);
    return this;
  }
  addEvent(name: string, attributesOrStartTime?: Attributes | TimeInput, startTime?: TimeInput): this {
    if (isTimeInput(attributesOrStartTime)) this.span.addEvent(name, attributesOrStartTime);
    else this.span.addEvent(name, attributesOrStartTime, startTime ?? preciseNow());
    return this;
  }
  addLink(link: Link): this {
    this.span.addLink(link);
    return this;
  }
  addLinks(links: Link[]): this {
    this.span.addLinks(links);
    return this;
  }
  setStatus(status: SpanStatus): this {
    this.span.setStatus(status);
    return this;
  }
  updateName(name: string): this {
    this.span.updateName(name);
    return this;
  }
  end(endTime?: TimeInput): void {
    this.span.end(endTime ?? preciseNow());
  }
  isRecording(): boolean {
    return this.span.isRecording();
  }
  recordException(exception: Exception, time?: TimeInput): void {
    this.span.recordException(exception, time ?? preciseNow());
  }
}

/**
 * `tracer` with every span it starts timed by {@link preciseNow} (see PreciseSpan). Spans that do
 * not record (sampled out, no provider) are returned as they are: their times are never read.
 */
export function preciseTracer(tracer: Tracer): Tracer {
  const startSpan = (name: string, options: SpanOptions = {}, ctx?: Context): Span => {
    const span = tracer.startSpan(name, options.startTime === undefined ? { ...options, startTime: preciseNow() } : options, ctx);
    return span.isRecording() ? new PreciseSpan(span) : span;
  };
  return {
    startSpan,
    // (name, fn), (name, options, fn) or (name, options, context, fn), as the API's overloads.
    startActiveSpan(name: string, ...args: unknown[]): unknown {
      const fn = args.at(-1) as (span: Span) => unknown;
      const options = (args.length >= 2 ? args[0] : undefined) as SpanOptions | undefined;
      const parent = ((args.length >= 3 ? args[1] : undefined) as Context | undefined) ?? context.active();
      const span = startSpan(name, options, parent);
      return context.with(trace.setSpan(parent, span), fn, undefined, span);
    },
  } as Tracer;
}
