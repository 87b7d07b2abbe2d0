/*
 * Local copies of semantic-convention names that are still "development" (unstable) upstream.
 * @opentelemetry/semantic-conventions only exports them from its `/incubating` entry point, which
 * may rename or drop them in any minor release; copying the few we emit pins the wire names our
 * spans (and the backend's queries) rely on. These are the names go-zero's interceptors use.
 */

/** `rpc.system` — the remoting system, `grpc` here. */
export const ATTR_RPC_SYSTEM = 'rpc.system' as const;
/** `rpc.service` — full service name, `package.Service`. */
export const ATTR_RPC_SERVICE = 'rpc.service' as const;
/** `rpc.method` — method name, `GetUser`. */
export const ATTR_RPC_METHOD = 'rpc.method' as const;
/** `rpc.grpc.status_code` — numeric gRPC status code of the call. */
export const ATTR_RPC_GRPC_STATUS_CODE = 'rpc.grpc.status_code' as const;
/** `message.type` — on a `message` event: `SENT` or `RECEIVED`. */
export const ATTR_MESSAGE_TYPE = 'message.type' as const;
/** `message.id` — on a `message` event: 1-based sequence number within the call, per direction. */
export const ATTR_MESSAGE_ID = 'message.id' as const;
/** `message.uncompressed_size` — on a `message` event: size in bytes when known. */
export const ATTR_MESSAGE_UNCOMPRESSED_SIZE = 'message.uncompressed_size' as const;

/** Value of `rpc.system` for gRPC. */
export const RPC_SYSTEM_VALUE_GRPC = 'grpc' as const;
/** Name of the per-message event on RPC spans. */
export const EVENT_MESSAGE = 'message' as const;
/** Values of `message.type`. */
export const MESSAGE_TYPE_VALUE_SENT = 'SENT' as const;
export const MESSAGE_TYPE_VALUE_RECEIVED = 'RECEIVED' as const;
