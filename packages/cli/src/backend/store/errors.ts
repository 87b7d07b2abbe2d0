/**
 * Every error the store throws, each with a stable code and the HTTP status an API should answer
 * with. Codes are never reused once retired.
 */
import { codedError } from '../../shared/coded-error.ts';

/** The stable codes of {@link StoreError}, with the HTTP status each maps to. */
export const STORE_ERROR_CODES = {
  /** A pushed span has a malformed trace id, span id or parent span id: a client error. */
  STORE_ERR_INVALID_SPAN: 400,
  /** A trace id asked for is not 1-32 hex digits. */
  STORE_ERR_INVALID_TRACE_ID: 400,
  /** The data directory was written by a newer zeroscope whose format this one does not know. */
  STORE_ERR_FORMAT_TOO_NEW: 500,
  /** The store was used after close(). */
  STORE_ERR_CLOSED: 503,
  /** A write did not fit: the disk (or lmdb's map) is full, or the store's `maxDataBytes` quota is reached. Reads still work. */
  STORE_ERR_DISK_FULL: 507,
} as const;

export type StoreErrorCode = keyof typeof STORE_ERROR_CODES;

/** The one error class of the store: `code` is stable, `status` is the HTTP status to answer with. */
export class StoreError extends codedError({ name: 'StoreError', answer: (code: StoreErrorCode) => ({ status: STORE_ERROR_CODES[code] }) }) {}

/** True for a StoreError, optionally of one code. */
export function isStoreError(err: unknown, code?: StoreErrorCode): err is StoreError {
  return err instanceof StoreError && (code === undefined || err.code === code);
}
