/**
 * Trace and span ids: OTLP JSON carries them as base64 (protojson bytes), Tempo's URLs and
 * search results as lower-case hex. Everything the UI keeps is hex.
 */
import { BadTraceIdError } from '../errors.ts';

const HEX_ID = /^(?:[0-9a-f]{16}|[0-9a-f]{32})$/i;
const BASE64 = /^[A-Za-z0-9+/_-]*={0,2}$/;
const B64_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

/** Decodes standard or url-safe base64 to bytes; undefined when it is not base64. */
export function base64ToBytes(text: string): Uint8Array | undefined {
  if (!BASE64.test(text)) return undefined;
  const clean = text.replace(/=+$/, '').replace(/-/g, '+').replace(/_/g, '/');
  if (clean.length % 4 === 1) return undefined;
  const out: number[] = [];
  let bits = 0;
  let acc = 0;
  for (const ch of clean) {
    acc = (acc << 6) | B64_ALPHABET.indexOf(ch);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out.push((acc >> bits) & 0xff);
    }
  }
  return Uint8Array.from(out);
}

/** Lower-case hex of some bytes. */
export function bytesToHex(bytes: Uint8Array): string {
  let s = '';
  for (const b of bytes) s += b.toString(16).padStart(2, '0');
  return s;
}

/**
 * An id from OTLP JSON as hex. Hex of the right length (16 or 32 digits) is kept as it is,
 * because some producers write hex instead of base64; anything else is decoded as base64.
 * '' for a missing or undecodable id.
 */
export function idToHex(id: string | undefined): string {
  if (!id) return '';
  if (HEX_ID.test(id)) return id.toLowerCase();
  const bytes = base64ToBytes(id);
  if (!bytes || bytes.length === 0) return '';
  const hex = bytesToHex(bytes);
  return /^0+$/.test(hex) ? '' : hex;
}

/** True for a hex trace id the UI can route to (1–32 hex digits, not all zero). */
export function isTraceIdHex(text: string): boolean {
  return /^[0-9a-f]{1,32}$/i.test(text) && !/^0+$/.test(text);
}

/** True for a 16-digit hex span id, not all zero. */
export function isSpanIdHex(text: string): boolean {
  return /^[0-9a-f]{16}$/i.test(text) && !/^0+$/.test(text);
}

/** A 32-digit trace id: shorter ids (64-bit Zipkin/Jaeger style) are left-padded with zeros. */
export function normalizeTraceId(text: string): string {
  return text.toLowerCase().padStart(32, '0');
}

/** What "go to trace" resolved the pasted text to. */
export interface TraceTarget {
  traceId: string;
  spanId?: string;
}

const TRACEPARENT = /^([0-9a-f]{2})-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})(?:-.*)?$/i;

/**
 * Parses what a person pastes into "go to trace": a hex trace id (up to 32 digits) or a whole W3C
 * `traceparent` value (`00-<trace id>-<span id>-<flags>`), optionally prefixed `traceparent:`.
 * @throws BadTraceIdError when it is neither.
 * @example parseTraceInput('00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01')
 *   // { traceId: '4bf92f3577b34da6a3ce929d0e0e4736', spanId: '00f067aa0ba902b7' }
 */
export function parseTraceInput(input: string): TraceTarget {
  const text = input.trim().replace(/^traceparent\s*:\s*/i, '').trim();
  const tp = TRACEPARENT.exec(text);
  if (tp) {
    const [, version, traceId, spanId] = tp;
    if (version.toLowerCase() === 'ff' || !isTraceIdHex(traceId)) throw new BadTraceIdError(input);
    const target: TraceTarget = { traceId: traceId.toLowerCase() };
    if (isSpanIdHex(spanId)) target.spanId = spanId.toLowerCase();
    return target;
  }
  if (isTraceIdHex(text)) return { traceId: normalizeTraceId(text) };
  throw new BadTraceIdError(input);
}
