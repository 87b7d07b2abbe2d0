/**
 * The one body of the CLI package's coded errors (backend, `zeroscope` command and web UI alike):
 * each `errors.ts` declares its codes and the answer each code maps to (HTTP status, gRPC code,
 * exit status) and makes its classes here, so every error carries `name`, `code`, its answer and
 * `cause` the same way. Imports nothing, so the browser bundle can take it too.
 */

/** What every coded error takes besides its code and message. */
export interface CodedErrorOptions {
  /** The underlying error, kept as the standard `cause`. */
  cause?: unknown;
}

/** An error with a stable code and the answer (`status`, `httpStatus`, `exitCode`…) that code maps to. */
export type CodedError<Code extends string, Answer extends object = {}> = Error & { readonly code: Code } & Readonly<Answer>;

/** The class {@link codedError} makes: `new X(code, message, { cause })`. */
export type CodedErrorClass<Code extends string, Answer extends object = {}> = new (
  code: Code,
  message: string,
  options?: CodedErrorOptions,
) => CodedError<Code, Answer>;

/** How a package's errors are made. */
export interface CodedErrorSpec<Code extends string, Answer extends object> {
  /**
   * The error's `name`; by default the class's own name (`new.target.name`). Code that is
   * minified (the web UI) must give it, or the name would be the minifier's.
   */
  name?: string;
  /** The answer a code maps to, copied onto the error as own fields (its HTTP status…). */
  answer?: (code: Code) => Answer;
}

/**
 * Makes the base class of one package's errors.
 *
 * @example
 *   export const STORE_ERROR_CODES = { STORE_ERR_CLOSED: 503 } as const;
 *   export class StoreError extends codedError({ name: 'StoreError', answer: (code: StoreErrorCode) => ({ status: STORE_ERROR_CODES[code] }) }) {}
 *   new StoreError('STORE_ERR_CLOSED', 'store is closed').status; // 503
 */
export function codedError<Code extends string, Answer extends object = {}>(
  spec: CodedErrorSpec<Code, Answer> = {},
): CodedErrorClass<Code, Answer> {
  const { name, answer } = spec;
  const Made = class extends Error {
    readonly code: Code;

    constructor(code: Code, message: string, options?: CodedErrorOptions) {
      // No own `cause` key at all when there is none, as `new Error(message)` leaves it.
      super(message, options?.cause === undefined ? undefined : { cause: options.cause });
      this.name = name ?? new.target.name;
      this.code = code;
      if (answer !== undefined) Object.assign(this, answer(code));
    }
  };
  return Made as unknown as CodedErrorClass<Code, Answer>;
}
