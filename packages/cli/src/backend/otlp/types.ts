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
 * Declared as type aliases rather than interfaces so that they are assignable to other
 * packages' structural views with index signatures (the store's `OtlpExportRequest`).
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
  /** OTLP SpanKind number (see `SpanKind` in backend/model.ts). */
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
