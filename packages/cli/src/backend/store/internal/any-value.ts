/** OTLP AnyValue/KeyValue (as protobufjs decodes them) to the model's plain JS values. */
import { setAttribute, type AttrValue, type Attributes } from '../../model.ts';
import type { OtlpAnyValue, OtlpKeyValue } from '../types.ts';
import { toBigInt, toSafeNumber } from './ids.ts';

const has = (o: object, k: string): boolean => Object.prototype.hasOwnProperty.call(o, k);

/**
 * One AnyValue as JS. The set field is the one that is an own property: protobufjs puts every
 * default on the prototype, so `in` would see them all. Bytes become base64, as Tempo shows them.
 */
export function anyValueToAttr(v: OtlpAnyValue | null | undefined): AttrValue {
  if (!v) return null;
  if (has(v, 'stringValue')) return v.stringValue ?? '';
  if (has(v, 'intValue')) return toSafeNumber(toBigInt(v.intValue, false));
  if (has(v, 'boolValue')) return Boolean(v.boolValue);
  if (has(v, 'doubleValue')) return Number(v.doubleValue);
  if (has(v, 'arrayValue')) return (v.arrayValue?.values ?? []).map(anyValueToAttr);
  if (has(v, 'kvlistValue')) return attributesToRecord(v.kvlistValue?.values);
  if (has(v, 'bytesValue')) return v.bytesValue ? Buffer.from(v.bytesValue).toString('base64') : '';
  return null;
}

/** A KeyValue list as a record; a repeated key keeps its last value. */
export function attributesToRecord(kvs: OtlpKeyValue[] | null | undefined): Attributes {
  const out: Attributes = {};
  if (!kvs) return out;
  for (const kv of kvs) setAttribute(out, kv.key ?? '', anyValueToAttr(kv.value));
  return out;
}

/** The string value of one key in a KeyValue list, '' when absent or not a string. */
export function stringAttribute(kvs: OtlpKeyValue[] | null | undefined, key: string): string {
  if (!kvs) return '';
  for (const kv of kvs) {
    if (kv.key === key && kv.value && has(kv.value, 'stringValue')) return kv.value.stringValue ?? '';
  }
  return '';
}

/**
 * A scalar AnyValue as [catalog key, value]: the key keeps the type so that "1" and 1 stay two
 * values. Arrays, kvlists and bytes are not catalogued (Tempo does not offer them either).
 */
export function scalarEntry(v: OtlpAnyValue | null | undefined): [string, AttrValue] | undefined {
  if (!v) return undefined;
  if (has(v, 'stringValue')) return ['s' + (v.stringValue ?? ''), v.stringValue ?? ''];
  if (has(v, 'intValue')) {
    const n = toBigInt(v.intValue, false);
    return ['i' + n.toString(), toSafeNumber(n)];
  }
  if (has(v, 'boolValue')) return [v.boolValue ? 'b1' : 'b0', Boolean(v.boolValue)];
  if (has(v, 'doubleValue')) return ['d' + String(Number(v.doubleValue)), Number(v.doubleValue)];
  return undefined;
}

/** The value a {@link scalarEntry} key stands for (used when reloading the catalog). */
export function scalarFromKey(key: string): AttrValue {
  const body = key.slice(1);
  switch (key[0]) {
    case 's':
      return body;
    case 'i':
      return toSafeNumber(BigInt(body));
    case 'b':
      return body === '1';
    case 'd':
      return Number(body);
    default:
      return body;
  }
}
