/** Pieces of a stored span as the query model wants them, shared by the full and the projected decoder. */
import type { Attributes, SpanEvent, SpanLink } from '../../model.ts';
import type { LongLike, OtlpKeyValue } from '../types.ts';
import { attributesToRecord } from './any-value.ts';
import { toBigInt, toHex } from './ids.ts';

/** A resource header, converted once and shared by its spans (treat as read-only). */
export interface DecodedResource {
  attributes: Attributes;
  serviceName: string;
}

/** A scope header, converted once. */
export interface DecodedScope {
  name: string;
  version: string;
  /** Absent when the scope has none. */
  attributes?: Attributes;
}

/** A span event as protobufjs decodes it. */
export interface DecodedEvent {
  name?: string;
  timeUnixNano?: LongLike;
  attributes?: OtlpKeyValue[];
}

/** A span link as protobufjs decodes it. */
export interface DecodedLink {
  traceId?: Uint8Array;
  spanId?: Uint8Array;
  attributes?: OtlpKeyValue[];
}

/** An event in the query model. */
export function toEvent(e: DecodedEvent): SpanEvent {
  return { name: e.name ?? '', timeUnixNano: toBigInt(e.timeUnixNano), attributes: attributesToRecord(e.attributes) };
}

/** A link in the query model. */
export function toLink(l: DecodedLink): SpanLink {
  return {
    traceId: l.traceId ? toHex(l.traceId) : '',
    spanId: l.spanId ? toHex(l.spanId) : '',
    attributes: attributesToRecord(l.attributes),
  };
}
