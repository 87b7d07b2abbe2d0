/**
 * Span attribute keys shared by the rest handler and the rpc interceptors, defined in one place
 * (go-zero's core/trace/attributes.go). The semantic-convention names come from ./semconv.ts.
 */
import type { Attributes } from '@opentelemetry/api';
import { ATTR_RPC_GRPC_STATUS_CODE, ATTR_RPC_METHOD, ATTR_RPC_SERVICE, ATTR_RPC_SYSTEM, RPC_SYSTEM_VALUE_GRPC } from './semconv.ts';

export {
  ATTR_CLIENT_ADDRESS,
  ATTR_CLIENT_PORT,
  ATTR_ERROR_TYPE,
  ATTR_EXCEPTION_MESSAGE,
  ATTR_EXCEPTION_STACKTRACE,
  ATTR_EXCEPTION_TYPE,
  ATTR_HTTP_REQUEST_METHOD,
  ATTR_HTTP_RESPONSE_STATUS_CODE,
  ATTR_HTTP_ROUTE,
  ATTR_NETWORK_PEER_ADDRESS,
  ATTR_NETWORK_PEER_PORT,
  ATTR_NETWORK_PROTOCOL_NAME,
  ATTR_NETWORK_PROTOCOL_VERSION,
  ATTR_SERVER_ADDRESS,
  ATTR_SERVER_PORT,
  ATTR_SERVICE_NAME,
  ATTR_URL_FULL,
  ATTR_URL_PATH,
  ATTR_URL_QUERY,
  ATTR_URL_SCHEME,
  ATTR_USER_AGENT_ORIGINAL,
  ATTR_MESSAGE_ID,
  ATTR_MESSAGE_TYPE,
  ATTR_MESSAGE_UNCOMPRESSED_SIZE,
  ATTR_RPC_GRPC_STATUS_CODE,
  ATTR_RPC_METHOD,
  ATTR_RPC_SERVICE,
  ATTR_RPC_SYSTEM,
  EVENT_MESSAGE,
  MESSAGE_TYPE_VALUE_RECEIVED,
  MESSAGE_TYPE_VALUE_SENT,
  RPC_SYSTEM_VALUE_GRPC,
} from './semconv.ts';

/**
 * zeroscope's own names (no semantic convention covers load shedding): a shed request's span gets
 * the attribute `zeroscope.load_shed = true` and one `zeroscope.load_shed` event whose attributes
 * say why (CPU in millicpu, requests in flight, their average, the window's capacity).
 */
export const ATTR_LOAD_SHED = 'zeroscope.load_shed';
export const EVENT_LOAD_SHED = 'zeroscope.load_shed';
export const ATTR_LOAD_SHED_CPU = 'zeroscope.load_shed.cpu_millis';
export const ATTR_LOAD_SHED_FLYING = 'zeroscope.load_shed.in_flight';
export const ATTR_LOAD_SHED_AVG_FLYING = 'zeroscope.load_shed.avg_in_flight';
export const ATTR_LOAD_SHED_MAX_FLIGHT = 'zeroscope.load_shed.max_in_flight';

/** Marks `span` as shed (attribute + event with the shedder's reason). No-op without a span. */
export function recordLoadShed(
  span: { setAttribute(key: string, value: boolean): unknown; addEvent(name: string, attributes?: Attributes): unknown } | undefined,
  reason: { cpu: number; flying: number; avgFlying: number; maxFlight: number },
): void {
  if (span === undefined) return;
  span.setAttribute(ATTR_LOAD_SHED, true);
  span.addEvent(EVENT_LOAD_SHED, {
    [ATTR_LOAD_SHED_CPU]: Math.round(reason.cpu),
    [ATTR_LOAD_SHED_FLYING]: reason.flying,
    [ATTR_LOAD_SHED_AVG_FLYING]: Math.round(reason.avgFlying * 100) / 100,
    [ATTR_LOAD_SHED_MAX_FLIGHT]: Math.round(reason.maxFlight * 100) / 100,
  });
}

/**
 * Span name and rpc.* attributes for a gRPC full method (go-zero's SpanInfo): `/pkg.Svc/Get` →
 * name `pkg.Svc/Get`, `rpc.service` `pkg.Svc`, `rpc.method` `Get`, `rpc.system` `grpc`.
 */
export function rpcSpanInfo(fullMethod: string): { name: string; attributes: Attributes } {
  const name = fullMethod.replace(/^\//, '');
  const slash = name.lastIndexOf('/');
  const attributes: Attributes = { [ATTR_RPC_SYSTEM]: RPC_SYSTEM_VALUE_GRPC };
  if (slash > 0) {
    attributes[ATTR_RPC_SERVICE] = name.slice(0, slash);
    attributes[ATTR_RPC_METHOD] = name.slice(slash + 1);
  }
  return { name, attributes };
}

/** `rpc.grpc.status_code` as an attribute map (go-zero's StatusCodeAttr). */
export function grpcStatusCodeAttributes(code: number): Attributes {
  return { [ATTR_RPC_GRPC_STATUS_CODE]: code };
}

/**
 * Splits `host:port`, `[v6]:port` or a bare host into address and port; `port` is undefined when
 * absent or not a number. Used for server.address/server.port and client.address.
 */
export function splitHostPort(hostPort: string): { host: string; port?: number } {
  const v6 = /^\[([^\]]+)\](?::(\d+))?$/.exec(hostPort);
  if (v6) return { host: v6[1] ?? '', port: v6[2] ? Number(v6[2]) : undefined };
  const colon = hostPort.lastIndexOf(':');
  // More than one colon without brackets is a bare IPv6 address, not host:port.
  if (colon < 0 || hostPort.indexOf(':') !== colon) return { host: hostPort };
  const port = Number(hostPort.slice(colon + 1));
  return { host: hostPort.slice(0, colon), port: Number.isInteger(port) && hostPort.slice(colon + 1) !== '' ? port : undefined };
}
