/**
 * OTLP logs ingestion: `POST /v1/logs` on the OTLP/HTTP receiver (protobuf or JSON, gzip or
 * not) and `opentelemetry.proto.collector.logs.v1.LogsService/Export` on the OTLP/gRPC one.
 * Both are the traces endpoints' handlers given the logs codec (http-export.ts, grpc-export.ts),
 * so errors are answered exactly as for traces and an exporter retries logs when it would retry spans.
 */
import type { BodyBudget } from './body-budget.ts';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type * as grpc from '@grpc/grpc-js';
import type { ExportLogsServiceRequest } from '../otlp/index.ts';
import { LOGS_SIGNAL } from './export-signals.ts';
import { exportServiceDefinition, grpcExportHandler } from './grpc-export.ts';
import { httpExportHandler } from './http-export.ts';
import type { ReceiverLimits } from './types.ts';

/**
 * Where receivers hand decoded log records; implemented by the log store. `push` resolves once
 * the records are durable and may reject with a PushFailure-shaped error, like TracesPusher.
 */
export interface LogsPusher {
  push(request: ExportLogsServiceRequest): Promise<void>;
}

/** What the logs endpoints take (the receiver they ride on supplies host and port). */
export interface OtlpLogsOptions {
  pusher: LogsPusher;
  limits?: ReceiverLimits;
  /** As ReceiverOptions.bodyBudget. */
  bodyBudget?: BodyBudget;
  /** As ReceiverOptions.authToken. */
  authToken?: string;
  onError?: (error: unknown) => void;
}

/**
 * The `POST /v1/logs` handler. The OTLP/HTTP receiver routes that path here.
 * @example
 *   createServer(otlpLogsHttpHandler({ pusher: logStore })).listen(4318);
 */
export function otlpLogsHttpHandler(options: OtlpLogsOptions): (req: IncomingMessage, res: ServerResponse) => void {
  return httpExportHandler(LOGS_SIGNAL, { ...options, onError: options.onError ?? (() => {}) });
}

/** The LogsService definition with raw-bytes (de)serialisers; decoding happens in the handler. */
export const logsServiceDefinition: grpc.ServiceDefinition = exportServiceDefinition(LOGS_SIGNAL);

/**
 * The LogsService implementation, for `server.addService(logsServiceDefinition, ...)` on the
 * OTLP/gRPC receiver's server.
 */
export function otlpLogsGrpcImplementation(options: OtlpLogsOptions): grpc.UntypedServiceImplementation {
  return { Export: grpcExportHandler(LOGS_SIGNAL, { ...options, onError: options.onError ?? (() => {}) }) };
}
