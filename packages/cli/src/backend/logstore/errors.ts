/** Errors of the log store, each with a stable code and the HTTP status an API answers with. */

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

/** The one error class of the log store. */
export class LogStoreError extends Error {
  readonly code: LogStoreErrorCode;
  /** HTTP status to answer with (also read by receivers as `httpStatus`). */
  readonly status: number;
  readonly httpStatus: number;

  constructor(code: LogStoreErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'LogStoreError';
    this.code = code;
    this.status = LOG_STORE_ERROR_CODES[code];
    this.httpStatus = this.status;
  }
}
