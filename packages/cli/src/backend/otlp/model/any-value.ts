/** OTLP AnyValue and KeyValue lists to the query model's plain JS values. */
import { setAttribute, type AttrValue, type Attributes } from '../../query/storage.ts';
import { longToBigInt, toSafeNumber } from './longs.ts';
import type { AnyValueKind, AnyValueLike, KeyValueLike } from './types.ts';

const MEMBERS: readonly AnyValueKind[] = ['stringValue', 'boolValue', 'intValue', 'doubleValue', 'arrayValue', 'kvlistValue', 'bytesValue'];
const hasOwn = (o: object, k: string): boolean => Object.prototype.hasOwnProperty.call(o, k);

/**
 * Which member of an AnyValue is set. The receivers' decoder names it in an own `value`;
 * protobufjs messages (and hand-built values) hold the members set as own properties, the
 * defaults living on the prototype. When several are set, the last one set wins, as protobufjs'
 * oneof getter has it (without its per-call `Object.keys`, as long as only one is set).
 */
export function anyValueKind(v: AnyValueLike): AnyValueKind | undefined {
  if (hasOwn(v, 'value')) return v.value ?? undefined;
  // Unrolled: constant-key reads stay fast on protobufjs' message classes.
  let kind: AnyValueKind | undefined;
  let set = 0;
  if (hasOwn(v, 'stringValue') && v.stringValue != null) (kind = 'stringValue'), set++;
  if (hasOwn(v, 'boolValue') && v.boolValue != null) (kind = 'boolValue'), set++;
  if (hasOwn(v, 'intValue') && v.intValue != null) (kind = 'intValue'), set++;
  if (hasOwn(v, 'doubleValue') && v.doubleValue != null) (kind = 'doubleValue'), set++;
  if (hasOwn(v, 'arrayValue') && v.arrayValue != null) (kind = 'arrayValue'), set++;
  if (hasOwn(v, 'kvlistValue') && v.kvlistValue != null) (kind = 'kvlistValue'), set++;
  if (hasOwn(v, 'bytesValue') && v.bytesValue != null) (kind = 'bytesValue'), set++;
  return set > 1 ? lastMemberSet(v) : kind;
}

function lastMemberSet(v: AnyValueLike): AnyValueKind | undefined {
  const keys = Object.keys(v);
  for (let i = keys.length - 1; i >= 0; i--) {
    const key = keys[i] as AnyValueKind;
    if (MEMBERS.includes(key) && v[key] !== null && v[key] !== undefined) return key;
  }
  return undefined;
}

/**
 * An AnyValue as JS: int64 as a number when it fits a double exactly, else a bigint; bytes as
 * base64 (the model has no bytes type; Tempo shows them so); kvlist as an object; an empty
 * value as null.
 */
export function anyValueToAttr(v: AnyValueLike | null | undefined): AttrValue {
  if (!v) return null;
  switch (anyValueKind(v)) {
    case 'stringValue':
      return v.stringValue ?? '';
    case 'boolValue':
      return Boolean(v.boolValue);
    case 'intValue':
      return toSafeNumber(longToBigInt(v.intValue));
    case 'doubleValue':
      return Number(v.doubleValue);
    case 'arrayValue':
      return (v.arrayValue?.values ?? []).map(anyValueToAttr);
    case 'kvlistValue':
      return keyValuesToAttributes(v.kvlistValue?.values);
    case 'bytesValue':
      return v.bytesValue ? Buffer.from(v.bytesValue).toString('base64') : '';
    default:
      return null;
  }
}

/** OTLP attributes as a record; a repeated key keeps its last value. */
export function keyValuesToAttributes(list: readonly (KeyValueLike | null | undefined)[] | null | undefined): Attributes {
  const out: Attributes = {};
  if (!list) return out;
  for (const kv of list) if (kv) setAttribute(out, kv.key ?? '', anyValueToAttr(kv.value));
  return out;
}

/** The string value of one key in a KeyValue list, '' when absent or not a string. */
export function stringAttribute(list: readonly (KeyValueLike | null | undefined)[] | null | undefined, key: string): string {
  if (!list) return '';
  for (const kv of list) {
    if (kv?.key === key && kv.value && anyValueKind(kv.value) === 'stringValue') return kv.value.stringValue ?? '';
  }
  return '';
}
