/*
 * The semantic-convention names zeroscope's spans use, written out: the one owner of attribute
 * names the framework emits (attributes.ts re-exports them). The names are the specification's.
 *
 * - Stable names: @opentelemetry/semantic-conventions exports them too, but its ESM entry is
 *   seven files and ~340 KB of source that an import would load at start-up for these ~20
 *   strings, besides the CommonJS copy the SDK packages load for themselves. semconv.test.ts
 *   checks each one against the package, so a rename upstream fails there.
 * - Unstable ("development") names: the package exports them only from its `/incubating` entry
 *   point, which may rename or drop them in any minor release; copying the few we emit pins the
 *   wire names our spans (and the backend's queries) rely on. These are the names go-zero's
 *   interceptors use.
 */

/** `client.address` — the client's address as the server saw it (or a forwarded one). */
export const ATTR_CLIENT_ADDRESS = 'client.address' as const;
/** `client.port` — the client's port. */
export const ATTR_CLIENT_PORT = 'client.port' as const;
/** `error.type` — the class of error an operation ended with. */
export const ATTR_ERROR_TYPE = 'error.type' as const;
/** `exception.message` — on an `exception` event. */
export const ATTR_EXCEPTION_MESSAGE = 'exception.message' as const;
/** `exception.stacktrace` — on an `exception` event. */
export const ATTR_EXCEPTION_STACKTRACE = 'exception.stacktrace' as const;
/** `exception.type` — on an `exception` event. */
export const ATTR_EXCEPTION_TYPE = 'exception.type' as const;
/** `http.request.method` — `GET`, `POST`, … (`_OTHER` for unknown ones). */
export const ATTR_HTTP_REQUEST_METHOD = 'http.request.method' as const;
/** `http.response.status_code` — the HTTP status code. */
export const ATTR_HTTP_RESPONSE_STATUS_CODE = 'http.response.status_code' as const;
/** `http.route` — the matched route template, `/api/order/:id`. */
export const ATTR_HTTP_ROUTE = 'http.route' as const;
/** `network.peer.address` — the address of the socket's other end. */
export const ATTR_NETWORK_PEER_ADDRESS = 'network.peer.address' as const;
/** `network.peer.port` — the port of the socket's other end. */
export const ATTR_NETWORK_PEER_PORT = 'network.peer.port' as const;
/** `network.protocol.name` — `http`. */
export const ATTR_NETWORK_PROTOCOL_NAME = 'network.protocol.name' as const;
/** `network.protocol.version` — `1.1`, `2`. */
export const ATTR_NETWORK_PROTOCOL_VERSION = 'network.protocol.version' as const;
/** `server.address` — the server's name or address. */
export const ATTR_SERVER_ADDRESS = 'server.address' as const;
/** `server.port` — the server's port. */
export const ATTR_SERVER_PORT = 'server.port' as const;
/** `service.name` — the resource's service name. */
export const ATTR_SERVICE_NAME = 'service.name' as const;
/** `url.full` — the absolute URL of a client request. */
export const ATTR_URL_FULL = 'url.full' as const;
/** `url.path` — the request's path. */
export const ATTR_URL_PATH = 'url.path' as const;
/** `url.query` — the request's query string, without `?`. */
export const ATTR_URL_QUERY = 'url.query' as const;
/** `url.scheme` — `http` or `https`. */
export const ATTR_URL_SCHEME = 'url.scheme' as const;
/** `user_agent.original` — the `User-Agent` header. */
export const ATTR_USER_AGENT_ORIGINAL = 'user_agent.original' as const;

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
