// The trace package: the agent (start once from a Telemetry config), the tracer accessor, and the
// attribute names and helpers rest and rpc share. Only agent.ts touches the OpenTelemetry SDK.
export { startAgent, shutdownAgent, flushAgent, agentStatus, agentStats, createTracerProvider, tracingDisabled, warmUpAgent } from './agent.ts';
export type { AgentConf, AgentOptions, AgentProvider } from './agent.ts';
export { TelemetrySchema, BATCHERS, PROPAGATORS } from './config.ts';
export type { TelemetryConf, Batcher, PropagatorName } from './config.ts';
export { instrument } from './instrumentations.ts';
export type { Instrumentation } from './instrumentations.ts';
export { createPropagator } from './propagators.ts';
export { TraceError, TRACE_ERROR_CODES } from './errors.ts';
export type { TraceErrorCode } from './errors.ts';
export { ExportHealth } from './export-health.ts';
export type { AgentLog } from './export-health.ts';
export type { ExportStats } from './export-stats.ts';
export { BackoffGate, parseRetryAfter, MAX_RETRY_AFTER_MS } from './retry-after.ts';
export { createExporter, exporterNames, needsEndpoint } from './exporters/registry.ts';
export type { SpanExporter, ReadableSpan, ExporterConf, ExporterFactory, ExporterSettings, BuiltExporter } from './exporters/types.ts';
export { tracer, TRACER_NAME, VERSION } from './tracer.ts';
export { readTlsFiles } from './tls.ts';
export type { TlsFiles } from './tls.ts';
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
  ATTR_LOAD_SHED,
  ATTR_LOAD_SHED_AVG_FLYING,
  ATTR_LOAD_SHED_CPU,
  ATTR_LOAD_SHED_FLYING,
  ATTR_LOAD_SHED_MAX_FLIGHT,
  ATTR_MESSAGE_ID,
  ATTR_MESSAGE_TYPE,
  ATTR_MESSAGE_UNCOMPRESSED_SIZE,
  ATTR_NETWORK_PEER_ADDRESS,
  ATTR_NETWORK_PEER_PORT,
  ATTR_NETWORK_PROTOCOL_NAME,
  ATTR_NETWORK_PROTOCOL_VERSION,
  ATTR_RPC_GRPC_STATUS_CODE,
  ATTR_RPC_METHOD,
  ATTR_RPC_SERVICE,
  ATTR_RPC_SYSTEM,
  ATTR_SERVER_ADDRESS,
  ATTR_SERVER_PORT,
  ATTR_SERVICE_NAME,
  ATTR_URL_FULL,
  ATTR_URL_PATH,
  ATTR_URL_QUERY,
  ATTR_URL_SCHEME,
  ATTR_USER_AGENT_ORIGINAL,
  EVENT_LOAD_SHED,
  EVENT_MESSAGE,
  MESSAGE_TYPE_VALUE_RECEIVED,
  MESSAGE_TYPE_VALUE_SENT,
  RPC_SYSTEM_VALUE_GRPC,
  grpcStatusCodeAttributes,
  recordLoadShed,
  rpcSpanInfo,
  splitHostPort,
} from './attributes.ts';
