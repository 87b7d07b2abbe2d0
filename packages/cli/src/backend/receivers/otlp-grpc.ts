/**
 * The OTLP/gRPC receiver: `opentelemetry.proto.collector.trace.v1.TraceService/Export` (and the
 * LogsService beside it), both served by grpc-export.ts' raw-bytes handler. grpc-js inflates
 * gzip messages itself and applies the size limit to the inflated size.
 */
import * as grpc from '@grpc/grpc-js';
import { TRACES_SIGNAL } from './export-signals.ts';
import { answerCorruptCompressionAsInvalidArgument } from './grpc-corrupt-compression.ts';
import { grpcAdmission } from './grpc-admission.ts';
import { exportServiceDefinition, grpcExportHandler } from './grpc-export.ts';
import { logsServiceDefinition, otlpLogsGrpcImplementation, type LogsPusher } from './otlp-logs.ts';
import { DEFAULT_MAX_BODY_BYTES } from './types.ts';
import type { Receiver, ReceiverOptions } from './types.ts';

/** How long stop() lets in-flight calls finish before cancelling them. */
const STOP_GRACE_MS = 2000;

const traceServiceDefinition = exportServiceDefinition(TRACES_SIGNAL);

/**
 * The OTLP/gRPC receiver (default port 4317 in the backend). `limits.maxBodyBytes` is the
 * largest accepted message (grpc.max_receive_message_length), `limits.maxGrpcCalls` the calls
 * admitted at once (grpc-admission.ts: the others are refused before their message is read). With `logs`, the same server
 * also answers the OTLP LogsService.
 * @example
 *   const receiver = createOtlpGrpcReceiver({ host: '127.0.0.1', port: 4317, pusher: store });
 *   await receiver.start();
 */
export function createOtlpGrpcReceiver(options: ReceiverOptions & { logs?: LogsPusher }): Receiver {
  const { pusher, onError = () => {} } = options;
  answerCorruptCompressionAsInvalidArgument();
  const host = options.host ?? '127.0.0.1';
  const maxBytes = options.limits?.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  const server = new grpc.Server({ 'grpc.max_receive_message_length': maxBytes, interceptors: [grpcAdmission(options.bodyBudget, options.limits?.maxGrpcCalls)] });
  const { authToken, bodyBudget } = options;
  const exportHandler = grpcExportHandler(TRACES_SIGNAL, { pusher, authToken, bodyBudget, onError });
  server.addService(traceServiceDefinition, { Export: exportHandler });
  if (options.logs) {
    const logsOptions = { pusher: options.logs, authToken, bodyBudget, onError };
    server.addService(logsServiceDefinition, otlpLogsGrpcImplementation(logsOptions));
  }

  let started: Promise<{ host: string; port: number }> | undefined;
  let stopped: Promise<void> | undefined;
  return {
    name: 'otlp-grpc',
    start() {
      const address = host.includes(':') ? `[${host}]:${options.port}` : `${host}:${options.port}`;
      started ??= new Promise((resolve, reject) => {
        server.bindAsync(address, grpc.ServerCredentials.createInsecure(), (error, port) => {
          if (error) reject(error);
          else resolve({ host, port });
        });
      });
      return started;
    },
    stop() {
      stopped ??= new Promise<void>((resolve) => {
        const timer = setTimeout(() => server.forceShutdown(), STOP_GRACE_MS);
        timer.unref();
        server.tryShutdown(() => {
          clearTimeout(timer);
          resolve();
        });
      });
      return stopped;
    },
  };
}
