/**
 * Errors the UI raises, each with a stable code. The pages show `message` to the user as text.
 */
import { codedError } from '../shared/coded-error.ts';

/** Every code this package uses; kept in one place so a test can check they are unique. */
export const UiErrorCodes = {
  API_STATUS: 'UI_ERR_API_STATUS',
  API_NETWORK: 'UI_ERR_API_NETWORK',
  API_BAD_JSON: 'UI_ERR_API_BAD_JSON',
  API_BAD_PROTOBUF: 'UI_ERR_API_BAD_PROTOBUF',
  BAD_TRACE_ID: 'UI_ERR_BAD_TRACE_ID',
} as const;

export type UiErrorCode = (typeof UiErrorCodes)[keyof typeof UiErrorCodes];

/** Base class: a message for people and a code for programs. Names are given: the bundle is minified. */
export class UiError extends codedError<UiErrorCode>({ name: 'UiError' }) {}

/** The API answered with a non-2xx status; `body` is its text (Tempo puts the reason there). */
export class ApiStatusError extends UiError {
  readonly url: string;
  readonly status: number;
  readonly body: string;
  constructor(url: string, status: number, body: string) {
    const reason = body.trim().slice(0, 500) || `HTTP ${status}`;
    super(UiErrorCodes.API_STATUS, `${status}: ${reason}`);
    this.name = 'ApiStatusError';
    this.status = status;
    this.body = body;
    this.url = url;
  }
}

/** The request never got an answer (server down, connection refused, aborted). */
export class ApiNetworkError extends UiError {
  constructor(url: string, cause: unknown) {
    super(UiErrorCodes.API_NETWORK, `could not reach ${url}: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
    this.name = 'ApiNetworkError';
  }
}

/** A 2xx answer whose body was not the JSON we expected. */
export class ApiBadJsonError extends UiError {
  constructor(url: string, cause: unknown) {
    super(UiErrorCodes.API_BAD_JSON, `${url} did not return JSON`, { cause });
    this.name = 'ApiBadJsonError';
  }
}

/** A 2xx protobuf answer that is not the message we asked for (the reason says where it broke). */
export class ApiBadProtobufError extends UiError {
  constructor(url: string, cause: unknown) {
    super(UiErrorCodes.API_BAD_PROTOBUF, `${url} returned protobuf that is not a trace: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
    this.name = 'ApiBadProtobufError';
  }
}

/** Text pasted into "go to trace" is neither a trace id nor a traceparent. */
export class BadTraceIdError extends UiError {
  constructor(input: string) {
    super(UiErrorCodes.BAD_TRACE_ID, `not a trace id or traceparent: ${input.slice(0, 80)}`);
    this.name = 'BadTraceIdError';
  }
}
