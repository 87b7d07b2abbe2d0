/**
 * Errors of the query API. Each has a stable code and the HTTP status it answers with; the
 * message is what the client sees, worded like Tempo's where Tempo has a wording.
 */
import { codedError } from '../../shared/coded-error.ts';

/** Stable codes of the API's errors, with the HTTP status each answers with. */
export const API_ERROR_CODES = {
  API_ERR_BAD_PARAM: 400,
  API_ERR_BAD_TRACE_ID: 400,
  API_ERR_BAD_QUERY: 400,
  API_ERR_UNAUTHORIZED: 401,
  API_ERR_HOST_NOT_ALLOWED: 403,
  API_ERR_TRACE_NOT_FOUND: 404,
  API_ERR_ROUTE_NOT_FOUND: 404,
  API_ERR_METHOD_NOT_ALLOWED: 405,
  API_ERR_QUERY_CANCELLED: 499,
  API_ERR_LISTEN: 500,
  API_ERR_METRICS_NOT_SERVED: 501,
  API_ERR_QUERY_BUDGET: 503,
} as const;

export type ApiErrorCode = keyof typeof API_ERROR_CODES;

/** Base of every API error: the router turns it into a response with `status`. */
export class ApiError extends codedError({ answer: (code: ApiErrorCode) => ({ status: API_ERROR_CODES[code] as number }) }) {}

// -- request parameters -------------------------------------------------------

/** A query or path parameter is malformed (bad duration, negative limit, q and tags together...). */
export class BadParamError extends ApiError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('API_ERR_BAD_PARAM', message, options);
  }
}

/** The trace id in the path is not hex or longer than 128 bits. */
export class BadTraceIdError extends ApiError {
  constructor(message: string) {
    super('API_ERR_BAD_TRACE_ID', message);
  }
}

/** A TraceQL query did not parse; the message is the query package's, already in Tempo's form. */
export class BadQueryError extends ApiError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('API_ERR_BAD_QUERY', message, options);
  }
}

// -- lookups -------------------------------------------------------------------

/** No trace with this id (in the requested range). */
export class TraceNotFoundError extends ApiError {
  constructor() {
    super('API_ERR_TRACE_NOT_FOUND', 'trace not found');
  }
}

/** An /api/ path no route serves. */
export class RouteNotFoundError extends ApiError {
  constructor(path: string) {
    super('API_ERR_ROUTE_NOT_FOUND', `no API route for ${path}`);
  }
}

/** A method other than GET/HEAD on a read-only route. */
export class MethodNotAllowedError extends ApiError {
  constructor(method: string) {
    super('API_ERR_METHOD_NOT_ALLOWED', `method ${method} not allowed`);
  }
}

/** The backend requires a token and the request carried none that matched. */
export class UnauthorizedError extends ApiError {
  constructor(message = 'missing or invalid token: send Authorization: Bearer <token> (or x-zeroscope-token), or open the UI as /?token=<token>') {
    super('API_ERR_UNAUTHORIZED', message);
  }
}

/** A TraceQL metrics call (streamed) on a backend that has no metrics engine wired in. */
export class MetricsNotServedError extends ApiError {
  constructor(method: string) {
    super('API_ERR_METRICS_NOT_SERVED', `${method}: TraceQL metrics queries are not served by this backend`);
  }
}

/** The Host header names something other than this backend (DNS rebinding); see guard/host-check.ts. */
export class HostNotAllowedError extends ApiError {
  constructor(message: string) {
    super('API_ERR_HOST_NOT_ALLOWED', message);
  }
}

/** A query spent its CPU or time budget (see query-budget.ts); 503 as Prometheus answers a timeout. */
export class QueryBudgetError extends ApiError {
  constructor(detail: string) {
    super('API_ERR_QUERY_BUDGET', `${detail}; narrow the time range or the query`);
  }
}

/** The client went away while its query ran; the query stopped (nobody reads the answer). */
export class QueryCancelledError extends ApiError {
  constructor() {
    super('API_ERR_QUERY_CANCELLED', 'the client closed the connection; the query was cancelled');
  }
}

// -- server --------------------------------------------------------------------

/** The API server could not bind its port. */
export class ListenError extends ApiError {
  constructor(address: string, options?: { cause?: unknown }) {
    super('API_ERR_LISTEN', `query API could not listen on ${address}`, options);
  }
}

/** Every error class above, for the registry test and for docs. */
export const API_ERRORS = [
  BadParamError,
  BadTraceIdError,
  BadQueryError,
  TraceNotFoundError,
  RouteNotFoundError,
  MethodNotAllowedError,
  UnauthorizedError,
  MetricsNotServedError,
  HostNotAllowedError,
  QueryBudgetError,
  QueryCancelledError,
  ListenError,
] as const;
