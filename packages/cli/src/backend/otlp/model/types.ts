/**
 * TypeScript shapes of the decoded OTLP messages, as protobufjs hands them out.
 *
 * Decoded messages have every scalar (prototype defaults: '' / 0 / empty bytes / zero Long) and
 * every repeated field; sub-messages are null when absent. int64 and fixed64 fields are `Long`
 * (unsigned for fixed64 times); use `longToBigInt` to get a bigint. The OTLP/protobuf receivers'
 * decoder (`decodeProtobufRequest`) hands out lighter spans: times as bigint, int64 attribute
 * values as numbers when exact, events and links decoded on first read (see decode-spans.ts).
 * Bytes are Uint8Array (an empty plain array when absent). For AnyValue every member reads as its default, so look at
 * `value`, the name of the member that is set, before reading one.
 *
 * The `…Like` forms at the end are the same messages as any producer hands them over (every field
 * optional, int64 as any {@link LongLike}): what the store accepts, derived from these types so
 * that there is one set of OTLP shapes.
 */
import type { Long } from 'protobufjs';

export type { Long };

export type KeyValue = {
  key: string;
  value?: AnyValue | null;
};

export type ArrayValue = {
  values: AnyValue[];
};

export type KeyValueList = {
  values: KeyValue[];
};

/** Which AnyValue member is set; undefined for an empty value. */
export type AnyValueKind =
  | 'stringValue'
  | 'boolValue'
  | 'intValue'
  | 'doubleValue'
  | 'arrayValue'
  | 'kvlistValue'
  | 'bytesValue';

export type AnyValue = {
  value?: AnyValueKind;
  stringValue?: string | null;
  boolValue?: boolean | null;
  intValue?: Long | number | null;
  doubleValue?: number | null;
  arrayValue?: ArrayValue | null;
  kvlistValue?: KeyValueList | null;
  bytesValue?: Uint8Array | null;
};

export type InstrumentationScope = {
  name: string;
  version: string;
  attributes: KeyValue[];
  droppedAttributesCount: number;
};

export type Resource = {
  attributes: KeyValue[];
  droppedAttributesCount: number;
};

export type OtlpSpanEvent = {
  timeUnixNano: Long | number | bigint;
  name: string;
  attributes: KeyValue[];
  droppedAttributesCount: number;
};

export type OtlpSpanLink = {
  traceId: Uint8Array;
  spanId: Uint8Array;
  traceState: string;
  attributes: KeyValue[];
  droppedAttributesCount: number;
  flags: number;
};

export type OtlpSpanStatus = {
  message: string;
  /** 0 unset, 1 ok, 2 error. */
  code: number;
};

export type Span = {
  traceId: Uint8Array;
  spanId: Uint8Array;
  traceState: string;
  /** Empty for a root span. */
  parentSpanId: Uint8Array;
  flags: number;
  name: string;
  /** OTLP SpanKind number (see `SpanKind` in query/storage.ts). */
  kind: number;
  startTimeUnixNano: Long | number | bigint;
  endTimeUnixNano: Long | number | bigint;
  attributes: KeyValue[];
  droppedAttributesCount: number;
  events: OtlpSpanEvent[];
  droppedEventsCount: number;
  links: OtlpSpanLink[];
  droppedLinksCount: number;
  status?: OtlpSpanStatus | null;
};

export type ScopeSpans = {
  scope?: InstrumentationScope | null;
  spans: Span[];
  schemaUrl: string;
};

export type ResourceSpans = {
  resource?: Resource | null;
  scopeSpans: ScopeSpans[];
  schemaUrl: string;
};

/** What every receiver produces and every pusher consumes. */
export type ExportTraceServiceRequest = {
  resourceSpans: ResourceSpans[];
};

/** The storage form: same shape as the request, a different message name on the wire. */
export type TracesData = {
  resourceSpans: ResourceSpans[];
};

/** An int64/fixed64 as producers hand it over: a Long, a {low, high} pair, or a plain number/string/bigint. */
export type LongLike = number | string | bigint | { low: number; high: number; unsigned?: boolean };

/**
 * A message of the types above as any producer hands it over: every field optional or null, int64
 * values in any {@link LongLike} form. A decoded message is one.
 */
export type MessageLike<T> = T extends Long | bigint
  ? LongLike
  : T extends Uint8Array
    ? Uint8Array
    : T extends readonly (infer E)[]
      ? MessageLike<E>[]
      : T extends object
        ? { [K in keyof T]?: MessageLike<T[K]> | null }
        : T;

export type AnyValueLike = MessageLike<AnyValue>;
export type KeyValueLike = MessageLike<KeyValue>;
export type SpanLike = MessageLike<Span>;
export type ScopeSpansLike = MessageLike<ScopeSpans>;
export type ResourceSpansLike = MessageLike<ResourceSpans>;
/** What the store's `push` accepts: a request from any receiver, or built by hand. */
export type ExportTraceServiceRequestLike = MessageLike<ExportTraceServiceRequest>;
