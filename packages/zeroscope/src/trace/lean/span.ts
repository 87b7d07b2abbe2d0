import {
  diag,
  SpanStatusCode,
  type Attributes,
  type AttributeValue,
  type Context,
  type Exception,
  type HrTime,
  type Link,
  type Span,
  type SpanAttributeValue,
  type SpanContext,
  type SpanKind,
  type SpanStatus,
  type TimeInput,
} from '@opentelemetry/api';
import { isAttributeValue, millisToHrTime } from '@opentelemetry/core';
import { ATTR_EXCEPTION_MESSAGE, ATTR_EXCEPTION_STACKTRACE, ATTR_EXCEPTION_TYPE } from '../semconv.ts';
import { preciseNow, preciseTimeOf } from '../clock.ts';
import type { ReadableSpan } from '../exporters/types.ts';

/** The span limits in force (the SDK's `SpanLimits`, every one resolved to a number). */
export interface ResolvedSpanLimits {
  attributeValueLengthLimit: number;
  attributeCountLimit: number;
  linkCountLimit: number;
  eventCountLimit: number;
  attributePerEventCountLimit: number;
  attributePerLinkCountLimit: number;
}

/** The SDK's span limits when no variable sets them (its loadDefaultConfig). */
export const SDK_SPAN_LIMITS: ResolvedSpanLimits = {
  attributeValueLengthLimit: Number.POSITIVE_INFINITY,
  attributeCountLimit: 128,
  linkCountLimit: 128,
  eventCountLimit: 128,
  attributePerEventCountLimit: 128,
  attributePerLinkCountLimit: 128,
};

/** Where a span goes when it starts and ends (the SDK's SpanProcessor shape). */
export interface SpanSink {
  onStart(span: never, parentContext: Context): void;
  onEnd(span: ReadableSpan): void;
}

type TimedEvent = ReadableSpan['events'][number];

const UNSET_STATUS: SpanStatus = Object.freeze({ code: SpanStatusCode.UNSET });
const NOT_ENDED = Object.freeze([0, 0]) as unknown as HrTime;
const NO_DURATION = Object.freeze([-1, -1]) as unknown as HrTime;
const NO_LINKS = Object.freeze([]) as unknown as Link[];
const NO_EVENTS = Object.freeze([]) as unknown as TimedEvent[];

/** What {@link LeanSpan} is built from; the tracer has made every decision already. */
export interface LeanSpanInit {
  spanContext: SpanContext;
  parentSpanContext: SpanContext | undefined;
  name: string;
  kind: SpanKind;
  links: Link[];
  startTime: HrTime;
  resource: ReadableSpan['resource'];
  scope: ReadableSpan['instrumentationScope'];
  limits: ResolvedSpanLimits;
}

/**
 * A recording span that is also the finished span exporters read: what the SDK's Span does for
 * zeroscope's tracer, in one object with no per-span copies of its options. Every rule that shapes
 * what gets exported is the SDK's (attribute validation and limits, value truncation, event and
 * link limits dropping the oldest, status precedence, end once, nothing after end), proven field
 * by field on the same inputs by `lean.test.ts`; times default to the precise clock (clock.ts).
 */
export class LeanSpan implements Span, ReadableSpan {
  readonly kind: SpanKind;
  readonly parentSpanContext: SpanContext | undefined;
  readonly resource: ReadableSpan['resource'];
  readonly instrumentationScope: ReadableSpan['instrumentationScope'];
  readonly startTime: HrTime;
  readonly attributes: Attributes;
  // Shared empty lists until the first link or event (most spans get no link, many no event).
  links: Link[] = NO_LINKS;
  events: TimedEvent[] = NO_EVENTS;
  name: string;
  // Shared placeholders until the span sets its own (each is replaced, never mutated): three
  // allocations fewer per span.
  status: SpanStatus = UNSET_STATUS;
  endTime: HrTime = NOT_ENDED;
  duration: HrTime = NO_DURATION;
  ended = false;
  droppedAttributesCount = 0;
  droppedEventsCount = 0;
  droppedLinksCount = 0;
  private attributeCount = 0;
  private readonly context: SpanContext;
  private readonly limits: ResolvedSpanLimits;
  private readonly sink: SpanSink;

  constructor(init: LeanSpanInit, sink: SpanSink, attributes: Attributes | undefined, parentContext: Context) {
    this.context = init.spanContext;
    this.parentSpanContext = init.parentSpanContext;
    this.name = init.name;
    this.kind = init.kind;
    this.startTime = init.startTime;
    this.resource = init.resource;
    this.instrumentationScope = init.scope;
    this.limits = init.limits;
    this.sink = sink;
    // Start attributes the SDK would store unchanged are copied without the key-by-key checks; any
    // others go through them. Not a spread copy: Node 20's V8 is slow to add a key to one later.
    const stored: Attributes = {};
    this.attributes = stored;
    const count = attributes === undefined ? -1 : this.storableAsIs(attributes, init.limits.attributeCountLimit);
    if (count >= 0) {
      for (const key in attributes) stored[key] = attributes[key];
      this.attributeCount = count;
    }
    for (const link of init.links) this.addLink(link);
    if (attributes !== undefined && count < 0) this.setAttributes(attributes);
    sink.onStart(this as never, parentContext);
  }

  spanContext(): SpanContext {
    return this.context;
  }

  setAttribute(key: string, value: SpanAttributeValue): this {
    if (value == null || this.isEnded()) return this;
    if (key.length === 0) {
      diag.warn(`Invalid attribute key: ${key}`);
      return this;
    }
    if (!isAttributeValue(value)) {
      diag.warn(`Invalid attribute value set for key: ${key}`);
      return this;
    }
    const isNew = !Object.hasOwn(this.attributes, key);
    if (isNew && this.attributeCount >= this.limits.attributeCountLimit) {
      this.droppedAttributesCount++;
      return this;
    }
    this.attributes[key] = this.truncate(value);
    if (isNew) this.attributeCount++;
    return this;
  }

  setAttributes(attributes: Attributes): this {
    for (const key in attributes) if (Object.hasOwn(attributes, key)) this.setAttribute(key, attributes[key] as SpanAttributeValue);
    return this;
  }

  addEvent(name: string, attributesOrStartTime?: Attributes | TimeInput, startTime?: TimeInput): this {
    if (this.isEnded()) return this;
    const { eventCountLimit, attributePerEventCountLimit } = this.limits;
    if (eventCountLimit === 0) {
      diag.warn('No events allowed.');
      this.droppedEventsCount++;
      return this;
    }
    if (this.events === NO_EVENTS) this.events = [];
    if (this.events.length >= eventCountLimit) {
      this.events.shift();
      this.droppedEventsCount++;
    }
    let attributes: Attributes | undefined;
    if (isTimeInput(attributesOrStartTime)) {
      if (!isTimeInput(startTime)) startTime = attributesOrStartTime;
    } else {
      attributes = attributesOrStartTime;
    }
    // Frozen attributes the SDK would keep unchanged are shared, not copied: nothing can change them.
    if (attributes !== undefined && Object.isFrozen(attributes) && this.storableAsIs(attributes, attributePerEventCountLimit) >= 0) {
      this.events.push({ name, attributes, time: this.timeOf(startTime), droppedAttributesCount: 0 });
      return this;
    }
    const { kept, dropped } = this.limited(attributes, attributePerEventCountLimit);
    this.events.push({ name, attributes: kept, time: this.timeOf(startTime), droppedAttributesCount: dropped });
    return this;
  }

  addLink(link: Link): this {
    if (this.isEnded()) return this;
    const { linkCountLimit, attributePerLinkCountLimit } = this.limits;
    if (linkCountLimit === 0) {
      this.droppedLinksCount++;
      return this;
    }
    if (this.links === NO_LINKS) this.links = [];
    if (this.links.length >= linkCountLimit) {
      this.links.shift();
      this.droppedLinksCount++;
    }
    const { kept, dropped, count } = this.limited(link.attributes, attributePerLinkCountLimit);
    const stored: Link = { context: link.context };
    if (count > 0) stored.attributes = kept;
    if (dropped > 0) stored.droppedAttributesCount = dropped;
    this.links.push(stored);
    return this;
  }

  addLinks(links: Link[]): this {
    for (const link of links) this.addLink(link);
    return this;
  }

  setStatus(status: SpanStatus): this {
    // UNSET never overrides; OK is final (the API's rules).
    if (this.isEnded() || status.code === SpanStatusCode.UNSET || this.status.code === SpanStatusCode.OK) return this;
    const next: SpanStatus = { code: status.code };
    if (status.code === SpanStatusCode.ERROR) {
      if (typeof status.message === 'string') next.message = status.message;
      else if (status.message != null) diag.warn(`Dropping invalid status.message of type '${typeof status.message}', expected 'string'`);
    }
    this.status = next;
    return this;
  }

  updateName(name: string): this {
    if (!this.isEnded()) this.name = name;
    return this;
  }

  end(endTime?: TimeInput): void {
    if (this.ended) {
      diag.error(`${this.name} ${this.context.traceId}-${this.context.spanId} - You can only call end() on a span once.`);
      return;
    }
    let end = this.timeOf(endTime);
    let duration = hrDuration(this.startTime, end);
    if (duration[0] < 0) {
      diag.warn('Inconsistent start and end time, startTime > endTime. Setting span duration to 0ms.', this.startTime, end);
      end = [this.startTime[0], this.startTime[1]];
      duration = [0, 0];
    }
    this.endTime = end;
    this.duration = duration;
    if (this.droppedEventsCount > 0) diag.warn(`Dropped ${this.droppedEventsCount} events because eventCountLimit reached`);
    if (this.droppedLinksCount > 0) diag.warn(`Dropped ${this.droppedLinksCount} links because linkCountLimit reached`);
    this.ended = true;
    this.sink.onEnd(this);
  }

  isRecording(): boolean {
    return !this.ended;
  }

  recordException(exception: Exception, time?: TimeInput): void {
    const attributes: Attributes = {};
    if (typeof exception === 'string') {
      attributes[ATTR_EXCEPTION_MESSAGE] = exception;
    } else if (exception) {
      if (exception.code) attributes[ATTR_EXCEPTION_TYPE] = exception.code.toString();
      else if (exception.name) attributes[ATTR_EXCEPTION_TYPE] = exception.name;
      if (exception.message) attributes[ATTR_EXCEPTION_MESSAGE] = exception.message;
      if (exception.stack) attributes[ATTR_EXCEPTION_STACKTRACE] = exception.stack;
    }
    if (attributes[ATTR_EXCEPTION_TYPE] || attributes[ATTR_EXCEPTION_MESSAGE]) this.addEvent('exception', attributes, time);
    else diag.warn(`Failed to record an exception ${String(exception)}`);
  }

  private isEnded(): boolean {
    if (this.ended) diag.warn(`Cannot execute the operation on ended Span {traceId: ${this.context.traceId}, spanId: ${this.context.spanId}}`);
    return this.ended;
  }

  /**
   * How many attributes `attributes` has when the SDK would store every one of them unchanged
   * (string keys only, none empty, each value a string within the length limit, a number or a
   * boolean, at most `limit` of them), else -1: then they go through the key-by-key rules.
   */
  private storableAsIs(attributes: Attributes, limit: number): number {
    if (typeof attributes !== 'object' || attributes === null) return -1;
    const lengthLimit = this.limits.attributeValueLengthLimit;
    let count = 0;
    for (const key in attributes) {
      if (key === '' || !Object.hasOwn(attributes, key)) return -1;
      const value = attributes[key];
      const type = typeof value;
      if (type === 'string') {
        if ((value as string).length > lengthLimit) return -1;
      } else if (type !== 'number' && type !== 'boolean') {
        return -1;
      }
      if (++count > limit) return -1;
    }
    return count;
  }

  /**
   * An event's or link's attributes as the SDK keeps them (its `sanitizeAttributes`, then the
   * per-event/per-link limit), in one pass: an empty key or a value of no attribute type is left out
   * with a warning, null and undefined are kept, the first `limit` are kept and the rest counted.
   */
  private limited(attributes: Attributes | undefined, limit: number): { kept: Attributes; dropped: number; count: number } {
    const kept: Attributes = {};
    let dropped = 0;
    let count = 0;
    if (typeof attributes !== 'object' || attributes === null) return { kept, dropped, count };
    for (const key in attributes) {
      if (!Object.hasOwn(attributes, key)) continue;
      const value = attributes[key];
      if (key === '') {
        diag.warn(`Invalid attribute key: ${key}`);
        continue;
      }
      if (!isAttributeValue(value)) {
        diag.warn(`Invalid attribute value set for key: ${key}`);
        continue;
      }
      if (count >= limit) {
        dropped++;
        continue;
      }
      kept[key] = value == null ? value : this.truncate(value);
      count++;
    }
    return { kept, dropped, count };
  }

  /** Strings (and strings in arrays) cut to the value length limit; arrays always copied, as the SDK stores them. */
  private truncate(value: AttributeValue): AttributeValue {
    const limit = this.limits.attributeValueLengthLimit;
    if (typeof value === 'string') return value.length > limit ? value.substring(0, limit) : value;
    if (Array.isArray(value)) return value.map((v: unknown) => (typeof v === 'string' && v.length > limit ? v.substring(0, limit) : v)) as AttributeValue;
    return value;
  }

  /** An event or end time: given ones as the SDK reads them, a missing one from the precise clock. */
  private timeOf(time: TimeInput | undefined): HrTime {
    if (time === undefined) return preciseNow();
    return timeInputToHr(time);
  }
}

/** A time as given: HrTime as is; a number ≤ performance.now() is a performance timestamp, else epoch milliseconds; a Date. */
export function timeInputToHr(time: TimeInput): HrTime {
  if (typeof time === 'number') return preciseTimeOf(time) ?? millisToHrTime(time);
  if (time instanceof Date) return millisToHrTime(time.getTime());
  return time;
}

function isTimeInput(value: unknown): value is TimeInput {
  return typeof value === 'number' || value instanceof Date || (Array.isArray(value) && value.length === 2 && typeof value[0] === 'number' && typeof value[1] === 'number');
}

function hrDuration(start: HrTime, end: HrTime): HrTime {
  let seconds = end[0] - start[0];
  let nanos = end[1] - start[1];
  if (nanos < 0) {
    seconds -= 1;
    nanos += 1e9;
  }
  return [seconds, nanos];
}
