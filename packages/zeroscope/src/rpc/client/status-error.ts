import type * as grpc from '@grpc/grpc-js';
import { RpcStatusError } from '../errors.ts';

/** A grpc-js call failure as what callers get: its code, details and trailing metadata. */
export function toStatusError(err: grpc.ServiceError): RpcStatusError {
  return new RpcStatusError(err.code, err.details, { metadata: err.metadata, cause: err });
}
