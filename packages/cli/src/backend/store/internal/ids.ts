/** Trace ids as the store's API receives them. */
import { StoreError } from '../errors.ts';

/**
 * A trace id from hex as the API receives it: 1-32 hex digits, left-padded with zeros to 16
 * bytes (Tempo accepts shortened ids the same way).
 */
export function parseTraceIdHex(hex: string): Uint8Array {
  if (!/^[0-9a-fA-F]{1,32}$/.test(hex)) {
    throw new StoreError('STORE_ERR_INVALID_TRACE_ID', `trace id must be 1-32 hex digits, got ${JSON.stringify(hex)}`);
  }
  return new Uint8Array(Buffer.from(hex.toLowerCase().padStart(32, '0'), 'hex'));
}
