/**
 * The one builder of test traces. Tests describe spans compactly as {@link SpanSpec}s and take
 * the form their subject consumes:
 *
 * - {@link exportRequestObject}: an ExportTraceServiceRequest as plain objects (ids as bytes,
 *   times as decimal strings), what protobufjs encodes and a benchmark keeps;
 * - {@link protobufRequest}: those bytes, as an OTLP/HTTP or gRPC exporter sends them;
 * - {@link decodedRequest}: the bytes decoded again, exactly what a receiver hands the store or
 *   the metrics generator (Long times, Uint8Array ids);
 * - {@link otlpJson}: the OTLP/HTTP JSON export body (hex ids, enums as integers, as the spec asks);
 * - {@link tempoTraceJson}: one trace as Tempo's `/api/v2/traces/<id>` returns it (protojson:
 *   base64 ids, enum names).
 *
 * Spans are grouped into resources either by the caller ({@link ResourceSpec}) or, for a flat
 * list, by each span's `service`, `resource` and `scope` in first-seen order. {@link varint} and
 * {@link lengthDelimited} serve tests that write protobuf bytes by hand.
 */
import { SpanKind } from '../../query/storage.ts';
import type { ExportTraceServiceRequest } from '../model/types.ts';
import { otlpTypes } from '../schema.ts';

/** An id: hex text, or the bytes themselves (to send a malformed id, say). */
export type Id = string | Uint8Array;

/** A time: a bigint is unix nanoseconds; a number is milliseconds after the base time. */
export type Time = bigint | number;

/** An attribute value: integers become `intValue`, other numbers `doubleValue`. */
export type AttrValue = string | number | boolean | bigint | Uint8Array | AttrValue[] | { [key: string]: AttrValue };

export type Attrs = Record<string, AttrValue>;

/** A span kind by its name in {@link SpanKind}. */
export type KindName = keyof typeof SpanKind;
const KIND_NAMES = new Map<number, string>(Object.entries(SpanKind).map(([name, n]) => [n, name]));

/** The instrumentation scope of a span; a string is just its name. */
export interface ScopeSpec {
  name: string;
  version?: string;
  attributes?: Attrs;
}

export interface SpanSpec {
  /** Defaults to the trace id given in the options. */
  traceId?: Id;
  spanId: Id;
  parentSpanId?: Id;
  name: string;
  /** Default INTERNAL. */
  kind?: KindName | number;
  start: Time;
  end: Time;
  attributes?: Attrs;
  /** An error status: `true`, or its message ('' for none); `false` or absent for an unset status. */
  error?: boolean | string;
  events?: { name: string; at: Time; attributes?: Attrs }[];
  links?: { traceId: Id; spanId: Id; attributes?: Attrs }[];
  traceState?: string;
  /** For a flat span list: the `service.name` of the span's resource. */
  service?: string;
  /** For a flat span list: the resource's other attributes. */
  resource?: Attrs;
  /** For a flat span list: the span's instrumentation scope. */
  scope?: ScopeSpec | string;
}

/** A resource and its spans; the spans' own `service`, `resource` and `scope` are not read. */
export interface ResourceSpec {
  /** The `service.name` attribute; none when absent. */
  service?: string;
  attributes?: Attrs;
  scope?: ScopeSpec | string;
  spans: SpanSpec[];
}

/** What the builders take: resources, or a flat list of spans grouped by their service. */
export type TraceSpec = readonly ResourceSpec[] | readonly SpanSpec[];

export interface BuildOptions {
  /** The trace id of spans that name none. */
  traceId?: Id;
  /** What `number` times count from, in unix nanoseconds. */
  baseNs?: bigint;
}

/** The base time when none is given: 2023-11-14T22:13:20Z. */
export const DEFAULT_BASE_NS = 1_700_000_000_000_000_000n;
const DEFAULT_SCOPE: ScopeSpec = { name: 'zeroscope', version: '0.1.0' };

// ---- ids and times ----

/** A deterministic, valid trace id (32 hex) for a small number; `salt` keeps test sets apart. */
export function traceIdOf(n: number, salt = 0): string {
  return (0x7a000000 + salt).toString(16).padStart(8, '0') + '0'.repeat(16) + (n >>> 0).toString(16).padStart(8, '0');
}

/** A deterministic, valid span id (16 hex). */
export function spanIdOf(n: number, salt = 0): string {
  return (0x5b00 + salt).toString(16).padStart(4, '0') + '0000' + (n >>> 0).toString(16).padStart(8, '0');
}

/** The bytes of an id. */
export function idBytes(id: Id): Uint8Array {
  return typeof id === 'string' ? Uint8Array.from(Buffer.from(id, 'hex')) : id;
}

/** The hex of an id. */
export function idHex(id: Id): string {
  return typeof id === 'string' ? id.toLowerCase() : Buffer.from(id).toString('hex');
}

/** A time as unix nanoseconds. */
export function nanosOf(time: Time, baseNs = DEFAULT_BASE_NS): bigint {
  return typeof time === 'bigint' ? time : baseNs + BigInt(Math.round(time * 1_000_000));
}

// ---- the neutral form ----

/** One attribute value, neutral of encoding: the JSON forms and the protobuf form differ only in leaves. */
type Value =
  | { kind: 'string'; v: string }
  | { kind: 'bool'; v: boolean }
  | { kind: 'int'; v: bigint }
  | { kind: 'double'; v: number }
  | { kind: 'bytes'; v: Uint8Array }
  | { kind: 'array'; v: Value[] }
  | { kind: 'kvlist'; v: [string, Value][] };

function valueOf(v: AttrValue): Value {
  if (typeof v === 'string') return { kind: 'string', v };
  if (typeof v === 'boolean') return { kind: 'bool', v };
  if (typeof v === 'bigint') return { kind: 'int', v };
  if (typeof v === 'number') return Number.isInteger(v) ? { kind: 'int', v: BigInt(v) } : { kind: 'double', v };
  if (v instanceof Uint8Array) return { kind: 'bytes', v };
  if (Array.isArray(v)) return { kind: 'array', v: v.map(valueOf) };
  return { kind: 'kvlist', v: Object.entries(v).map(([k, x]) => [k, valueOf(x)]) };
}

/** How leaves are written: the only difference between the three output forms. */
interface Encoding {
  id(id: Id): unknown;
  time(ns: bigint): unknown;
  int(v: bigint): unknown;
  bytes(v: Uint8Array): unknown;
  kind(kind: number): unknown;
  statusCode(code: number): unknown;
  /** The status of a span without an error. */
  unset: object;
}

const OBJECT: Encoding = {
  id: idBytes,
  time: String,
  int: String,
  bytes: (v) => v,
  kind: (k) => k,
  statusCode: (c) => c,
  // What the OpenTelemetry JS exporters send: the UNSET code written out.
  unset: { code: 0 },
};
const EXPORT_JSON: Encoding = {
  id: idHex,
  time: String,
  int: String,
  bytes: (v) => Buffer.from(v).toString('base64'),
  kind: (k) => k,
  statusCode: (c) => c,
  unset: {},
};
const TEMPO_JSON: Encoding = {
  ...EXPORT_JSON,
  id: (id) => Buffer.from(idBytes(id)).toString('base64'),
  kind: (k) => `SPAN_KIND_${KIND_NAMES.get(k) ?? 'UNSPECIFIED'}`,
  statusCode: (c) => ['STATUS_CODE_UNSET', 'STATUS_CODE_OK', 'STATUS_CODE_ERROR'][c],
};

function anyValue(value: Value, enc: Encoding): object {
  switch (value.kind) {
    case 'string':
      return { stringValue: value.v };
    case 'bool':
      return { boolValue: value.v };
    case 'int':
      return { intValue: enc.int(value.v) };
    case 'double':
      return { doubleValue: value.v };
    case 'bytes':
      return { bytesValue: enc.bytes(value.v) };
    case 'array':
      return { arrayValue: { values: value.v.map((x) => anyValue(x, enc)) } };
    case 'kvlist':
      return { kvlistValue: { values: value.v.map(([key, x]) => ({ key, value: anyValue(x, enc) })) } };
  }
}

function keyValues(attrs: Attrs | undefined, enc: Encoding): object[] {
  return Object.entries(attrs ?? {}).map(([key, v]) => ({ key, value: anyValue(valueOf(v), enc) }));
}

function kindNumber(kind: SpanSpec['kind']): number {
  if (kind === undefined) return SpanKind.INTERNAL;
  return typeof kind === 'number' ? kind : SpanKind[kind];
}

function span(s: SpanSpec, options: BuildOptions, enc: Encoding): object {
  const traceId = s.traceId ?? options.traceId;
  if (traceId === undefined) throw new Error(`span ${s.name}: no traceId, and the options give none`);
  const time = (t: Time) => enc.time(nanosOf(t, options.baseNs));
  const out: Record<string, unknown> = {
    traceId: enc.id(traceId),
    spanId: enc.id(s.spanId),
  };
  if (s.traceState !== undefined) out.traceState = s.traceState;
  if (s.parentSpanId !== undefined) out.parentSpanId = enc.id(s.parentSpanId);
  out.name = s.name;
  out.kind = enc.kind(kindNumber(s.kind));
  out.startTimeUnixNano = time(s.start);
  out.endTimeUnixNano = time(s.end);
  out.attributes = keyValues(s.attributes, enc);
  if (s.events?.length) {
    out.events = s.events.map((e) => ({ timeUnixNano: time(e.at), name: e.name, attributes: keyValues(e.attributes, enc) }));
  }
  if (s.links?.length) {
    out.links = s.links.map((l) => ({ traceId: enc.id(l.traceId), spanId: enc.id(l.spanId), attributes: keyValues(l.attributes, enc) }));
  }
  out.status = s.error !== undefined && s.error !== false ? { code: enc.statusCode(2), ...(typeof s.error === 'string' ? { message: s.error } : {}) } : enc.unset;
  return out;
}

function scopeOf(scope: ScopeSpec | string | undefined): ScopeSpec {
  return typeof scope === 'string' ? { name: scope } : (scope ?? DEFAULT_SCOPE);
}

/** A flat span list grouped into resources by `service`, `resource` and `scope`, in first-seen order. */
export function groupSpans(spans: readonly SpanSpec[]): ResourceSpec[] {
  const groups = new Map<string, ResourceSpec>();
  for (const s of spans) {
    const scope = scopeOf(s.scope);
    const key = JSON.stringify([s.service, s.resource ?? {}, scope.name, scope.version, scope.attributes ?? {}], (_, v) =>
      typeof v === 'bigint' ? v.toString() : v,
    );
    let group = groups.get(key);
    if (!group) groups.set(key, (group = { service: s.service, attributes: s.resource, scope, spans: [] }));
    group.spans.push(s);
  }
  return [...groups.values()];
}

function resources(spec: TraceSpec): readonly ResourceSpec[] {
  return spec.length > 0 && 'spans' in spec[0] ? (spec as readonly ResourceSpec[]) : groupSpans(spec as readonly SpanSpec[]);
}

function build(spec: TraceSpec, options: BuildOptions, enc: Encoding): { resourceSpans: object[] } {
  return {
    resourceSpans: resources(spec).map((r) => {
      const scope = scopeOf(r.scope);
      const attributes = r.service === undefined ? r.attributes : { 'service.name': r.service, ...r.attributes };
      return {
        resource: { attributes: keyValues(attributes, enc) },
        scopeSpans: [
          {
            scope: {
              name: scope.name,
              ...(scope.version !== undefined ? { version: scope.version } : {}),
              ...(scope.attributes ? { attributes: keyValues(scope.attributes, enc) } : {}),
            },
            spans: r.spans.map((s) => span(s, options, enc)),
          },
        ],
      };
    }),
  };
}

// ---- the outputs ----

/** An ExportTraceServiceRequest as plain objects: ids as bytes, times and int64s as decimal strings. */
export function exportRequestObject(spec: TraceSpec, options: BuildOptions = {}): { resourceSpans: object[] } {
  return build(spec, options, OBJECT);
}

/** The request's protobuf bytes, as an exporter sends them. */
export function protobufRequest(spec: TraceSpec, options: BuildOptions = {}): Uint8Array {
  const type = otlpTypes.ExportTraceServiceRequest;
  return type.encode(type.fromObject(exportRequestObject(spec, options))).finish();
}

/** The request as a receiver decodes it off the wire (Long times, Uint8Array ids). */
export function decodedRequest(spec: TraceSpec, options: BuildOptions = {}): ExportTraceServiceRequest {
  return otlpTypes.ExportTraceServiceRequest.decode(protobufRequest(spec, options)) as unknown as ExportTraceServiceRequest;
}

/** The OTLP/HTTP JSON export body (`POST /v1/traces`): hex ids, enums as integers. */
export function otlpJson(spec: TraceSpec, options: BuildOptions = {}): { resourceSpans: object[] } {
  return build(spec, options, EXPORT_JSON);
}

/** One trace as Tempo's `/api/v2/traces/<id>` returns it (protojson: base64 ids, enum names). */
export function tempoTraceJson(spec: TraceSpec, options: BuildOptions = {}): { trace: { resourceSpans: object[] } } {
  return { trace: build(spec, options, TEMPO_JSON) };
}

// ---- raw protobuf, for tests that write the wire by hand ----

/** A protobuf varint (a non-negative integer below 2^32). */
export function varint(n: number): Buffer {
  const out: number[] = [];
  for (; n > 0x7f; n >>>= 7) out.push((n & 0x7f) | 0x80);
  out.push(n);
  return Buffer.from(out);
}

/** A length-delimited field: the one-byte `tag`, the body's length as a varint, the body. */
export function lengthDelimited(tag: number, body: Uint8Array): Buffer {
  return Buffer.concat([Buffer.from([tag]), varint(body.length), body]);
}
