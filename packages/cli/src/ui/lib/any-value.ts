/**
 * OTLP AnyValue / KeyValue lists as plain display text. The result is always a string handed to
 * Preact as text, so hostile values stay inert.
 */
import type { AnyValue, KeyValue } from './tempo-types.ts';
import { base64ToBytes, bytesToHex } from './ids.ts';

/** One attribute ready to show: key and its value as text. */
export interface DisplayAttr {
  key: string;
  value: string;
}

/** An AnyValue as text: strings as they are, arrays and maps as JSON-ish text, bytes as hex. */
export function anyValueToText(value: AnyValue | undefined): string {
  if (!value) return '';
  if (value.stringValue !== undefined) return value.stringValue;
  if (value.intValue !== undefined) return String(value.intValue);
  if (value.doubleValue !== undefined) return String(value.doubleValue);
  if (value.boolValue !== undefined) return String(value.boolValue);
  if (value.bytesValue !== undefined) {
    const bytes = base64ToBytes(value.bytesValue);
    return bytes ? bytesToHex(bytes) : value.bytesValue;
  }
  if (value.arrayValue) return `[${(value.arrayValue.values ?? []).map(quoted).join(', ')}]`;
  if (value.kvlistValue) {
    return `{${(value.kvlistValue.values ?? []).map((kv) => `${kv.key}: ${quoted(kv.value)}`).join(', ')}}`;
  }
  return '';
}

function quoted(value: AnyValue | undefined): string {
  return value?.stringValue !== undefined ? JSON.stringify(value.stringValue) : anyValueToText(value);
}

/** A KeyValue list as display pairs, sorted by key. */
export function attrsToDisplay(attrs: KeyValue[] | undefined): DisplayAttr[] {
  return (attrs ?? [])
    .map((kv) => ({ key: String(kv.key ?? ''), value: anyValueToText(kv.value) }))
    .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}

/** The text value of one attribute, or undefined when absent. */
export function findAttr(attrs: KeyValue[] | undefined, key: string): string | undefined {
  const kv = attrs?.find((a) => a.key === key);
  return kv ? anyValueToText(kv.value) : undefined;
}
