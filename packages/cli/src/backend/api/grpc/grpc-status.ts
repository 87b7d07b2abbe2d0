/**
 * Errors of the streaming API as gRPC statuses, with the codes Tempo's query-frontend gives the
 * same HTTP failures (modules/frontend/combiner/common.go): 400 → INVALID_ARGUMENT, 401 →
 * UNAUTHENTICATED, 404 → NOT_FOUND, 429 → RESOURCE_EXHAUSTED, 5xx → INTERNAL.
 */
import { status as GrpcCode, type StatusObject } from '@grpc/grpc-js';
import { ApiError } from '../errors.ts';

/** A status to end a call with; `details` is the message the client shows. */
export type CallStatus = Pick<StatusObject, 'code' | 'details'>;

/** The gRPC code for an HTTP status. */
export function grpcCodeForHttpStatus(httpStatus: number): GrpcCode {
  if (httpStatus === 400) return GrpcCode.INVALID_ARGUMENT;
  if (httpStatus === 401) return GrpcCode.UNAUTHENTICATED;
  if (httpStatus === 404) return GrpcCode.NOT_FOUND;
  if (httpStatus === 429) return GrpcCode.RESOURCE_EXHAUSTED;
  if (httpStatus === 499) return GrpcCode.CANCELLED;
  if (httpStatus === 501) return GrpcCode.UNIMPLEMENTED;
  if (httpStatus === 503) return GrpcCode.UNAVAILABLE;
  return httpStatus >= 500 ? GrpcCode.INTERNAL : GrpcCode.UNKNOWN;
}

/**
 * Maps a failure to the status the call ends with. An ApiError keeps its message; anything else
 * is unexpected: reported to `onError` and answered INTERNAL without internals.
 */
export function callStatusFor(err: unknown, onError: (err: unknown) => void): CallStatus {
  if (err instanceof ApiError) return { code: grpcCodeForHttpStatus(err.status), details: err.message };
  onError(err);
  return { code: GrpcCode.INTERNAL, details: 'internal error' };
}
