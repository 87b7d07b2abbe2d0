/**
 * OTLP/JSON request bodies. The spec's JSON differs from protobuf's canonical JSON mapping in a
 * few places (hex trace/span ids, enums as integers), so the text is first normalised by walking
 * the schema: keys to lowerCamelCase, ids from hex, int64 from strings, enums from names, bytes
 * from base64, with a type check at every field. protobufjs `verify` and `fromObject` then build
 * the message, so there is no hand-written wire format here.
 */
import protobuf from 'protobufjs';
import { OtlpDecodeError } from './errors.ts';
import { SPAN_ID_BYTES, TRACE_ID_BYTES, hexToBytes } from './model/ids.ts';
import { otlpTypes } from './schema.ts';
import type { ExportTraceServiceRequest } from './model/types.ts';
import { InvalidId, validateRequest, type DecodeOptions } from './validate-request.ts';
import { wellFormed } from './well-formed.ts';

/**
 * Decodes an OTLP/JSON ExportTraceServiceRequest. Accepts lowerCamelCase and snake_case keys,
 * hex ids (any case), enum numbers or names, int64 as strings or numbers, base64 bytes; ignores
 * unknown fields.
 * @throws OtlpDecodeError whose reason names the offending field path.
 */
export function decodeJsonRequest(text: string, options: DecodeOptions = {}): ExportTraceServiceRequest {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new OtlpDecodeError('json', `not valid JSON: ${(error as Error).message}`, { cause: error });
  }
  return decodeJsonObject(parsed, options);
}

/** Like decodeJsonRequest, for a value already parsed from JSON. */
export function decodeJsonObject(json: unknown, options: DecodeOptions = {}): ExportTraceServiceRequest {
  const request = decodeJsonMessage<ExportTraceServiceRequest>(otlpTypes.ExportTraceServiceRequest, json);
  if (options.checkSpans !== false) validateRequest(request, 'json');
  return request;
}

/**
 * Builds any OTLP message of `type` from its OTLP/JSON form with the same normalisation (the logs
 * decoder uses it for ExportLogsServiceRequest). Checks types only, not OTLP's id rules.
 * @throws OtlpDecodeError whose reason names the offending field path.
 */
export function decodeJsonMessage<T>(type: protobuf.Type, json: unknown): T {
  let normalised: Record<string, unknown>;
  badIds.clear();
  try {
    normalised = normaliseMessage(type, json, '');
  } catch (error) {
    badIds.clear();
    if (error instanceof OtlpDecodeError) throw error;
    // Only a pathologically deep AnyValue gets here (stack overflow).
    throw new OtlpDecodeError('json', (error as Error).message, { cause: error });
  }
  const problem = type.verify(normalised);
  if (problem) throw new OtlpDecodeError('json', problem);
  const message = type.fromObject(normalised) as unknown as T;
  for (const [path, reason] of badIds) markInvalidId(message, path, reason);
  badIds.clear();
  return message;
}

/**
 * Span and link ids that were not hex of the right length in the decode under way, by field
 * path (decoding is synchronous, so one map serves every call).
 */
const badIds = new Map<string, string>();

/** Puts an InvalidId carrying `reason` at `path` (`a[0].b[1].traceId`) in the decoded message. */
function markInvalidId(message: unknown, path: string, reason: string): void {
  const steps = path.split('.');
  let at = message as Record<string, unknown>;
  for (let i = 0; i < steps.length - 1; i++) {
    const m = /^(\w+)(?:\[(\d+)\])?$/.exec(steps[i]!);
    if (!m) return;
    const next = at[m[1]!] as unknown;
    at = (m[2] === undefined ? next : (next as unknown[])[Number(m[2])]) as Record<string, unknown>;
    if (typeof at !== 'object' || at === null) return;
  }
  at[steps.at(-1)!] = new InvalidId(reason);
}

class Invalid extends OtlpDecodeError {
  constructor(path: string, reason: string) {
    super('json', path ? `${path}: ${reason}` : reason);
  }
}

// Fields whose JSON form is hex rather than base64, by message type.
// `perSpan`: a bad one refuses its span alone (see validate-request.ts' InvalidId).
const HEX_ID_FIELDS: Record<string, Record<string, { bytes: number; allowEmpty: boolean; perSpan?: true }>> = {
  '.opentelemetry.proto.trace.v1.Span': {
    traceId: { bytes: TRACE_ID_BYTES, allowEmpty: false, perSpan: true },
    spanId: { bytes: SPAN_ID_BYTES, allowEmpty: false, perSpan: true },
    parentSpanId: { bytes: SPAN_ID_BYTES, allowEmpty: true, perSpan: true },
  },
  '.opentelemetry.proto.trace.v1.Span.Link': {
    traceId: { bytes: TRACE_ID_BYTES, allowEmpty: false, perSpan: true },
    spanId: { bytes: SPAN_ID_BYTES, allowEmpty: false, perSpan: true },
  },
  // A log record outside any trace has neither id.
  '.opentelemetry.proto.logs.v1.LogRecord': {
    traceId: { bytes: TRACE_ID_BYTES, allowEmpty: true },
    spanId: { bytes: SPAN_ID_BYTES, allowEmpty: true },
  },
};

const camelCase = (key: string): string => key.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());

function normaliseMessage(type: protobuf.Type, value: unknown, path: string): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new Invalid(path, `expected an object (${type.name})`);
  }
  const out: Record<string, unknown> = {};
  for (const [key, raw] of Object.entries(value)) {
    const name = camelCase(key);
    const field = Object.hasOwn(type.fields, name) ? type.fields[name] : undefined;
    // Unknown fields are ignored (forward compatibility); null means "default" in proto3 JSON.
    if (!field || raw === null) continue;
    const at = path ? `${path}.${field.name}` : field.name;
    if (field.repeated) {
      if (!Array.isArray(raw)) throw new Invalid(at, 'expected an array');
      out[field.name] = raw.map((item, i) => normaliseValue(type, field, item, `${at}[${i}]`));
    } else {
      out[field.name] = normaliseValue(type, field, raw, at);
    }
  }
  for (const oneof of type.oneofsArray) {
    const set = oneof.oneof.filter((name) => out[name] !== undefined);
    if (set.length > 1) throw new Invalid(path, `only one of ${set.join(', ')} may be set`);
  }
  return out;
}

function normaliseValue(owner: protobuf.Type, field: protobuf.Field, value: unknown, path: string): unknown {
  const resolved = field.resolvedType;
  if (resolved instanceof protobuf.Type) return normaliseMessage(resolved, value, path);
  if (resolved instanceof protobuf.Enum) return enumNumber(resolved, value, path);
  switch (field.type) {
    case 'string':
      if (typeof value !== 'string') throw new Invalid(path, 'expected a string');
      return wellFormed(value);
    case 'bool':
      if (typeof value !== 'boolean') throw new Invalid(path, 'expected true or false');
      return value;
    case 'bytes': {
      if (typeof value !== 'string') throw new Invalid(path, 'expected a string');
      const id = HEX_ID_FIELDS[owner.fullName]?.[field.name];
      if (id) {
        const bytes = hexToBytes(value, id.bytes, id.allowEmpty);
        if (typeof bytes === 'string') {
          if (!id.perSpan) throw new Invalid(path, bytes);
          // Left empty here, and marked after fromObject (which copies bytes fields).
          badIds.set(path, bytes);
          return Buffer.alloc(0);
        }
        return bytes;
      }
      if (!/^[A-Za-z0-9+/_-]*={0,2}$/.test(value)) throw new Invalid(path, 'expected base64');
      return Buffer.from(value, 'base64');
    }
    case 'double':
    case 'float':
      return floatNumber(value, path);
    case 'int64':
    case 'sint64':
    case 'sfixed64':
      return long(value, false, path);
    case 'uint64':
    case 'fixed64':
      return long(value, true, path);
    case 'int32':
    case 'sint32':
    case 'sfixed32':
      return int32(value, false, path);
    default: // uint32, fixed32
      return int32(value, true, path);
  }
}

function enumNumber(type: protobuf.Enum, value: unknown, path: string): number {
  // The spec says integers; names are what protobuf's canonical JSON mapping writes.
  const n = typeof value === 'string' ? type.values[value] : value;
  if (typeof n !== 'number' || !Number.isInteger(n) || type.valuesById[n] === undefined) {
    const names = Object.keys(type.values).join(', ');
    throw new Invalid(path, `expected one of ${names} or its number, got ${JSON.stringify(value)}`);
  }
  return n;
}

const INT_RE = /^-?\d+$/;
const U64_MAX = (1n << 64n) - 1n;
const I64_MIN = -(1n << 63n);
const I64_MAX = (1n << 63n) - 1n;

/** A 64-bit integer as the low/high bits protobufjs' verify and fromObject both accept. */
interface LongBits {
  low: number;
  high: number;
  unsigned: boolean;
}

function long(value: unknown, unsigned: boolean, path: string): LongBits {
  let big: bigint;
  if (typeof value === 'string' && INT_RE.test(value)) big = BigInt(value);
  else if (typeof value === 'number' && Number.isInteger(value)) big = BigInt(value);
  else throw new Invalid(path, 'expected an integer or a decimal string');
  const [min, max] = unsigned ? [0n, U64_MAX] : [I64_MIN, I64_MAX];
  if (big < min || big > max) throw new Invalid(path, `out of range for ${unsigned ? 'uint64' : 'int64'}`);
  const bits = BigInt.asUintN(64, big);
  return { low: Number(bits & 0xffffffffn) | 0, high: Number(bits >> 32n) | 0, unsigned };
}

function int32(value: unknown, unsigned: boolean, path: string): number {
  const n = typeof value === 'string' && INT_RE.test(value) ? Number(value) : value;
  if (typeof n !== 'number' || !Number.isInteger(n)) throw new Invalid(path, 'expected an integer');
  const [min, max] = unsigned ? [0, 0xffffffff] : [-0x80000000, 0x7fffffff];
  if (n < min || n > max) throw new Invalid(path, `out of range for ${unsigned ? 'uint32' : 'int32'}`);
  return n;
}

function floatNumber(value: unknown, path: string): number {
  if (typeof value === 'number') return value;
  // proto3 JSON writes non-finite doubles as strings.
  if (value === 'NaN') return NaN;
  if (value === 'Infinity') return Infinity;
  if (value === '-Infinity') return -Infinity;
  if (typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value))) return Number(value);
  throw new Invalid(path, 'expected a number');
}
