/** Errors of the log store, each with a stable code and the HTTP status an API answers with. */
import { codedError } from '../../shared/coded-error.ts';

/** The stable codes of {@link LogStoreError}, with the HTTP status each maps to. */
export const LOG_STORE_ERROR_CODES = {
  /** A trace or span id asked for is not hex of the right length. */
  LOGSTORE_ERR_INVALID_ID: 400,
  /** The data directory was written by a newer zeroscope. */
  LOGSTORE_ERR_FORMAT_TOO_NEW: 500,
  /** The store was used after close(). */
  LOGSTORE_ERR_CLOSED: 503,
  /** A write could not be made durable (the disk is full, or lmdb's commit failed): retry later. */
  LOGSTORE_ERR_DISK_FULL: 507,
} as const;

export type LogStoreErrorCode = keyof typeof LOG_STORE_ERROR_CODES;

/**
 * The one error class of the log store: `code` is stable, `status` is the HTTP status to answer
 * with (also as `httpStatus`, the field the receivers read).
 */
export class LogStoreError extends codedError({
  name: 'LogStoreError',
  answer: (code: LogStoreErrorCode) => ({ status: LOG_STORE_ERROR_CODES[code], httpStatus: LOG_STORE_ERROR_CODES[code] }),
}) {}
