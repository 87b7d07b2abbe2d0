/**
 * The one body of the library's coded errors (`LogError`, `TraceError`, `RpcError`…): each
 * package's `errors.ts` declares its registry of stable codes and makes its class here, so every
 * error of the library carries `name`, `code` and `cause` the same way. Private to the library:
 * the classes it makes are the public API, not this factory.
 */

/** What every coded error takes besides its code and message. */
export interface CodedErrorOptions {
  /** The underlying error, kept as the standard `cause`. */
  cause?: unknown;
}

/** An error with a stable, documented code from its package's registry. */
export interface CodedError<Code extends string> extends Error {
  readonly code: Code;
}

/** The class {@link codedError} makes: `new X(code, message, { cause })`. */
export type CodedErrorClass<Code extends string> = new (code: Code, message: string, options?: CodedErrorOptions) => CodedError<Code>;

/**
 * Makes the base class of one package's errors. `name` is given, not read from the class, so it
 * survives a user's minifier. With `codes` (the package's registry, code → what it means) the
 * class takes only those codes; without, any string of `Code`.
 *
 * @example
 *   export const LOG_ERROR_CODES = { LOG_ERR_PATH: 'Log.Path cannot be written' } as const;
 *   export class LogError extends codedError('LogError', LOG_ERROR_CODES) {}
 */
export function codedError<const Codes extends Readonly<Record<string, unknown>>>(
  name: string,
  codes: Codes,
): CodedErrorClass<Extract<keyof Codes, string>>;
export function codedError<Code extends string = string>(name: string): CodedErrorClass<Code>;
export function codedError(name: string): CodedErrorClass<string> {
  return class extends Error {
    override readonly name: string = name;
    readonly code: string;

    constructor(code: string, message: string, options?: CodedErrorOptions) {
      // No own `cause` key at all when there is none, as `new Error(message)` leaves it.
      super(message, options?.cause === undefined ? undefined : { cause: options.cause });
      this.code = code;
    }
  };
}
