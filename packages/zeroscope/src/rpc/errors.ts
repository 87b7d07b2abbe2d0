/**
 * Errors of the rpc package. Each has a stable `code` (never reused once retired) and the gRPC
 * status it maps to, so a handler can throw one and the caller sees that status.
 */
import { type Metadata, status } from '@grpc/grpc-js';
import { codedError } from '../internal/coded-error.ts';

/** Stable codes of {@link RpcError}, with what each means (documented in README.md too). */
export const RPC_ERROR_CODES = {
  RPC_ERR_CONFIG: 'a server or client config does not match its schema',
  RPC_ERR_STATUS: 'a call ended with a non-OK gRPC status (thrown by handlers, returned to callers)',
  RPC_ERR_UNKNOWN_SERVICE: 'the .proto file has no service of the given full name',
  RPC_ERR_UNSUPPORTED_METHOD: 'a client/bidi-streaming method (not supported yet), or one named like a client control',
  RPC_ERR_BIND: 'the server could not bind ListenOn',
  RPC_ERR_SERVER_STATE: 'start() on a running server, or addService() after start()',
  RPC_ERR_NO_ENDPOINTS: 'the client has no endpoint to send the call to',
  RPC_ERR_CLIENT_CLOSED: 'a call was made on a closed client',
  RPC_ERR_NOT_READY: 'no endpoint became READY within the client Timeout',
  RPC_ERR_ETCD: 'a server with an Etcd block could not register in etcd when it started',
} as const;

export type RpcErrorCode = keyof typeof RPC_ERROR_CODES;

/** Base of every error this package throws. `grpcCode` is the status a caller would see. */
export class RpcError extends codedError('RpcError', RPC_ERROR_CODES) {
  readonly grpcCode: status;

  constructor(code: RpcErrorCode, grpcCode: status, message: string, options?: { cause?: unknown }) {
    super(code, message, options);
    this.grpcCode = grpcCode;
  }
}

/** Bad `RpcServerConf` / `RpcClientConf`; the message lists every offending key. */
export class RpcConfigError extends RpcError {
  override readonly name = 'RpcConfigError';
  constructor(message: string, options?: { cause?: unknown }) {
    super('RPC_ERR_CONFIG', status.INVALID_ARGUMENT, message, options);
  }
}

/**
 * A gRPC status as an error. Handlers throw it to answer with that status
 * (`throw new RpcStatusError(status.NOT_FOUND, 'user 9 not found')`); clients reject with it,
 * carrying the server's code, details and trailing metadata.
 */
export class RpcStatusError extends RpcError {
  override readonly name = 'RpcStatusError';
  /** The status message (gRPC "details"). */
  readonly details: string;
  /** Trailing metadata of the failed call, when it came from the wire. */
  readonly metadata: Metadata | undefined;

  constructor(
    grpcCode: status,
    details: string,
    options?: { cause?: unknown; metadata?: Metadata },
  ) {
    super('RPC_ERR_STATUS', grpcCode, `${status[grpcCode] ?? grpcCode}: ${details}`, options);
    this.details = details;
    this.metadata = options?.metadata;
  }
}

/**
 * The gRPC status an error stands for: an {@link RpcError}'s `grpcCode`, a grpc-js ServiceError's
 * numeric `code`, else `undefined` (an unexpected error).
 */
export function grpcStatusOf(err: unknown): { code: status; details: string } | undefined {
  if (err instanceof RpcStatusError) return { code: err.grpcCode, details: err.details };
  if (err instanceof RpcError) return { code: err.grpcCode, details: err.message };
  if (typeof err === 'object' && err !== null) {
    const { code, details, message } = err as { code?: unknown; details?: unknown; message?: unknown };
    if (typeof code === 'number' && Number.isInteger(code) && code >= 0 && code <= 16) {
      const text = typeof details === 'string' ? details : typeof message === 'string' ? message : '';
      return { code, details: text };
    }
  }
  return undefined;
}
