/**
 * Errors of the TraceQL package. Every class has a stable `code` and answers HTTP 400: each one
 * means the client's query (or `tags=`) is wrong or asks for something this engine does not do.
 * Messages follow Tempo's wording so clients that match on them keep working.
 */
import { codedError } from '../../shared/coded-error.ts';

/** Every code of this package, for the uniqueness test and for documentation. */
export const TRACEQL_ERROR_CODES = [
  'TRACEQL_ERR_PARSE',
  'TRACEQL_ERR_INVALID',
  'TRACEQL_ERR_UNSUPPORTED',
  'TRACEQL_ERR_TAGS',
] as const;

export type TraceQLErrorCode = (typeof TRACEQL_ERROR_CODES)[number];

/** Base of every TraceQL error; `status` is the HTTP status the API answers with (always 400). */
export class TraceQLError extends codedError({ answer: (_code: TraceQLErrorCode) => ({ status: 400 as const }) }) {}

/**
 * The query did not lex or parse. `line` and `col` are 1-based and point at the offending token
 * (for an unexpected end of input, one past the last character), like Tempo's `ParseError`.
 */
export class TraceQLParseError extends TraceQLError {
  readonly line: number;
  readonly col: number;
  /** The message without the position prefix, e.g. `syntax error: unexpected }`. */
  readonly reason: string;

  constructor(reason: string, line: number, col: number) {
    super('TRACEQL_ERR_PARSE', `parse error at line ${line}, col ${col}: ${reason}`);
    this.reason = reason;
    this.line = line;
    this.col = col;
  }
}

/** The query parsed but is ill-typed (`{ duration > "x" }`, `{ 1 + 1 }`, a bad regex...). */
export class TraceQLValidationError extends TraceQLError {
  constructor(message: string) {
    super('TRACEQL_ERR_INVALID', message);
  }
}

/** The query is valid TraceQL that this engine does not evaluate (`by()`, `parent.`, `childCount`...). */
export class TraceQLUnsupportedError extends TraceQLError {
  constructor(feature: string) {
    super('TRACEQL_ERR_UNSUPPORTED', `unsupported: ${feature} is not supported by this backend`);
  }
}

/** A legacy `tags=` logfmt string is malformed. */
export class TagsParseError extends TraceQLError {
  constructor(message: string) {
    super('TRACEQL_ERR_TAGS', `invalid tags: ${message}`);
  }
}

/**
 * What a search throws for a bad query: the text the API answers with 400, in Tempo's form
 * (`invalid TraceQL query: parse error at line 1, col 3: ...`). `cause` is the original error.
 */
export class InvalidQueryError extends TraceQLError {
  constructor(cause: TraceQLError) {
    super(cause.code, `invalid TraceQL query: ${cause.message}`, { cause });
  }
}
