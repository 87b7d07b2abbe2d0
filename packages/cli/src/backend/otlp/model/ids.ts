/** Trace and span ids: bytes on the OTLP wire, lower-case hex everywhere else. */
import { hexSlice } from '../wire/buffer-private.ts';

/** Length in bytes of an OTLP trace id. */
export const TRACE_ID_BYTES = 16;
/** Length in bytes of an OTLP span id. */
export const SPAN_ID_BYTES = 8;

const HEX_RE = /^[0-9a-fA-F]*$/;

/**
 * Lower-case hex of an id; '' for an empty one (protobufjs hands out a plain empty array then).
 * Ids are hexed for every span on ingest and on every search, so a Buffer (what the decoders
 * hand out) goes straight to Buffer's own hex slice.
 */
export function bytesToHex(bytes: Uint8Array | ArrayLike<number>): string {
  if (bytes.length === 0) return '';
  if (Buffer.isBuffer(bytes)) return hexSlice(bytes, 0, bytes.length);
  const buf = bytes instanceof Uint8Array ? Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength) : Buffer.from(Array.from(bytes));
  return hexSlice(buf, 0, buf.length);
}

/**
 * Bytes of a hex id, or a reason string when the text is not `byteLength` bytes of hex.
 * `allowEmpty` accepts '' (an absent parent span id).
 */
export function hexToBytes(text: string, byteLength: number, allowEmpty = false): Buffer | string {
  if (text === '' && allowEmpty) return Buffer.alloc(0);
  if (text.length !== byteLength * 2) return `expected ${byteLength * 2} hex characters, got ${text.length}`;
  if (!HEX_RE.test(text)) return 'expected hex characters only';
  return Buffer.from(text, 'hex');
}

/** True when every byte is zero (OTLP's "invalid id"; an all-zero parent means a root span). */
export function isAllZero(bytes: ArrayLike<number>): boolean {
  for (let i = 0; i < bytes.length; i++) if (bytes[i] !== 0) return false;
  return true;
}
