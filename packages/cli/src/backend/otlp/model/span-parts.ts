/**
 * The parts of a span the query model builds apart: the resource and scope headers (converted
 * once and shared by their spans), events and links. Used by the full conversion
 * (./query-span.ts) and by its fast path for stored bytes (../wire/fast-span-columns.ts).
 */
import type { Attributes, SpanEvent, SpanLink } from '../../query/storage.ts';
import { keyValuesToAttributes } from './any-value.ts';
import { bytesToHex } from './ids.ts';
import { longToBigInt } from './longs.ts';
import type { InstrumentationScope, MessageLike, OtlpSpanEvent, OtlpSpanLink, Resource } from './types.ts';

/** A resource as its spans carry it: attributes and `service.name` ('' when absent). Read-only: shared. */
export interface SpanResource {
  attributes: Attributes;
  serviceName: string;
}

/** An instrumentation scope as its spans carry it. */
export interface SpanScope {
  name: string;
  version: string;
  /** The scope's attributes (TraceQL `instrumentation.x`). */
  attributes?: Attributes;
}

export function toSpanResource(resource: MessageLike<Resource> | null | undefined): SpanResource {
  const attributes = keyValuesToAttributes(resource?.attributes);
  const name = Object.hasOwn(attributes, 'service.name') ? attributes['service.name'] : undefined;
  return { attributes, serviceName: typeof name === 'string' ? name : '' };
}

export function toSpanScope(scope: MessageLike<InstrumentationScope> | null | undefined): SpanScope {
  return { name: scope?.name ?? '', version: scope?.version ?? '', attributes: keyValuesToAttributes(scope?.attributes) };
}

export function toSpanEvent(event: MessageLike<OtlpSpanEvent>): SpanEvent {
  return { name: event.name ?? '', timeUnixNano: longToBigInt(event.timeUnixNano), attributes: keyValuesToAttributes(event.attributes) };
}

export function toSpanLink(link: MessageLike<OtlpSpanLink>): SpanLink {
  return {
    traceId: link.traceId ? bytesToHex(link.traceId) : '',
    spanId: link.spanId ? bytesToHex(link.spanId) : '',
    attributes: keyValuesToAttributes(link.attributes),
  };
}
