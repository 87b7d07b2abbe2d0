/**
 * The one error type of the rest package. Handlers and middleware throw it; the server turns it
 * into a JSON response `{ code, message }` with its status. Codes are stable: README.md lists
 * them and errors.test.ts checks that they are unique and documented.
 */
import { codedError } from '../internal/coded-error.ts';

/** Stable codes for the errors the framework itself raises. Never reuse a retired code. */
export const REST_ERROR_CODES = {
  BAD_REQUEST: 'REST_ERR_BAD_REQUEST',
  VALIDATION: 'REST_ERR_VALIDATION',
  BAD_JSON: 'REST_ERR_BAD_JSON',
  BAD_ENCODING: 'REST_ERR_BAD_ENCODING',
  NOT_FOUND: 'REST_ERR_NOT_FOUND',
  METHOD_NOT_ALLOWED: 'REST_ERR_METHOD_NOT_ALLOWED',
  BODY_TOO_LARGE: 'REST_ERR_BODY_TOO_LARGE',
  INTERNAL: 'REST_ERR_INTERNAL',
  OVERLOADED: 'REST_ERR_OVERLOADED',
  TIMEOUT: 'REST_ERR_TIMEOUT',
} as const;

/** One of the framework's codes. User code may pass any string as `code`. */
export type RestErrorCode = (typeof REST_ERROR_CODES)[keyof typeof REST_ERROR_CODES];

const CODE_BY_STATUS: Readonly<Record<number, string>> = {
  400: REST_ERROR_CODES.BAD_REQUEST,
  404: REST_ERROR_CODES.NOT_FOUND,
  405: REST_ERROR_CODES.METHOD_NOT_ALLOWED,
  413: REST_ERROR_CODES.BODY_TOO_LARGE,
  500: REST_ERROR_CODES.INTERNAL,
};

/** Options of `HttpError` beyond status and message. */
export interface HttpErrorOptions {
  /** Stable machine-readable code; defaults from the status (`REST_ERR_HTTP_<status>` if none fits). */
  code?: string;
  /** The underlying error; the tracing handler records it as the span's exception. */
  cause?: unknown;
  /** Extra response headers, e.g. `allow` on a 405. */
  headers?: Readonly<Record<string, string>>;
}

/**
 * An error that maps to an HTTP response (4xx or 5xx).
 *
 * @example
 *   throw new HttpError(404, `order ${id} not found`);
 */
export class HttpError extends codedError<string>('HttpError') {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>> | undefined;

  constructor(status: number, message: string, options: HttpErrorOptions = {}) {
    if (!Number.isInteger(status) || status < 400 || status > 599) {
      throw new RangeError(`HttpError status must be an integer in 400..599, got ${status}`);
    }
    super(options.code ?? CODE_BY_STATUS[status] ?? `REST_ERR_HTTP_${status}`, message, options);
    this.status = status;
    this.headers = options.headers;
  }

  /** The response body. */
  toJSON(): { code: string; message: string } {
    return { code: this.code, message: this.message };
  }
}
