/**
 * The OTLP logs schema. Loaded into a root of its own beside schema.ts' trace root (the common,
 * resource and status messages are read twice, which costs nothing at run time) so that the
 * trace side stays exactly as it was.
 */
import { fileURLToPath } from 'node:url';
import protobuf from 'protobufjs';

const protoDir = fileURLToPath(new URL('./proto/', import.meta.url));

/** The protobufjs root holding opentelemetry.proto.logs.* and the logs export service. */
export const otlpLogsRoot: protobuf.Root = protobuf.loadSync(['logs_service.proto'].map((file) => protoDir + file));

/** The logs message types the backend uses, looked up once. */
export const otlpLogsTypes = {
  ExportLogsServiceRequest: otlpLogsRoot.lookupType('opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest'),
  ExportLogsServiceResponse: otlpLogsRoot.lookupType('opentelemetry.proto.collector.logs.v1.ExportLogsServiceResponse'),
  LogsData: otlpLogsRoot.lookupType('opentelemetry.proto.logs.v1.LogsData'),
  LogRecord: otlpLogsRoot.lookupType('opentelemetry.proto.logs.v1.LogRecord'),
} as const;

/** gRPC method path of the OTLP logs export. */
export const LOGS_EXPORT_PATH = '/opentelemetry.proto.collector.logs.v1.LogsService/Export';

/** OTLP/HTTP path of the logs export. */
export const LOGS_HTTP_PATH = '/v1/logs';

/** Highest SeverityNumber (SEVERITY_NUMBER_FATAL4). */
export const MAX_SEVERITY_NUMBER = 24;
