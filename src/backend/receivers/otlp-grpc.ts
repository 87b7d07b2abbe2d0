/**
 * The OTLP/gRPC trace receiver: `opentelemetry.proto.collector.trace.v1.TraceService/Export`.
 * Messages reach the handler as raw bytes and are decoded by ../otlp's protobufjs decoder, the
 * same path as OTLP/HTTP; decoding in the handler (not in grpc-js' deserializer) is what lets a
 * bad message be answered INVALID_ARGUMENT instead of grpc-js' INTERNAL. grpc-js inflates gzip
 * messages itself and applies the size limit to the inflated size.
 */
import * as grpc from '@grpc/grpc-js';
import {
  TRACE_EXPORT_PATH,
  decodeProtobufRequest,
  encodeExportResponse,
  encodeRpcStatus,
  retryInfoDetail,
} from '../otlp/index.ts';
import { tokenChecker } from './auth.ts';
import { UnauthorizedError } from './errors.ts';
import { describeFailure } from './failure.ts';
import { logsServiceDefinition, otlpLogsGrpcImplementation, type LogsPusher } from './otlp-logs.ts';
import { DEFAULT_MAX_BODY_BYTES } from './types.ts';
import type { Receiver, ReceiverOptions } from './types.ts';

/** How long stop() lets in-flight calls finish before cancelling them. */
const STOP_GRACE_MS = 2000;

const identity = (bytes: Buffer): Buffer => bytes;

const traceServiceDefinition: grpc.ServiceDefinition = {
  Export: {
    path: TRACE_EXPORT_PATH,
    requestStream: false,
    responseStream: false,
    originalName: 'export',
    requestSerialize: identity,
    requestDeserialize: identity,
    responseSerialize: (bytes: Uint8Array) => Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength),
    responseDeserialize: identity,
  },
};

/**
 * The OTLP/gRPC receiver (default port 4317 in the backend). `limits.maxBodyBytes` is the
 * largest accepted message (grpc.max_receive_message_length). With `logs`, the same server
 * also answers the OTLP LogsService.
 * @example
 *   const receiver = createOtlpGrpcReceiver({ host: '127.0.0.1', port: 4317, pusher: store });
 *   await receiver.start();
 */
export function createOtlpGrpcReceiver(options: ReceiverOptions & { logs?: LogsPusher }): Receiver {
  const { pusher, onError = () => {} } = options;
  const host = options.host ?? '127.0.0.1';
  const maxBytes = options.limits?.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  const authorized = options.authToken === undefined ? undefined : tokenChecker(options.authToken);
  const server = new grpc.Server({ 'grpc.max_receive_message_length': maxBytes });

  const exportHandler: grpc.handleUnaryCall<Buffer, Uint8Array> = (call, callback) => {
    const fail = (error: unknown): void => {
      const answer = describeFailure(error);
      if (answer.unexpected) onError(error);
      const metadata = new grpc.Metadata();
      if (answer.retryAfterSeconds !== undefined) {
        // OTLP clients retry RESOURCE_EXHAUSTED only when the status carries RetryInfo.
        const status = { code: answer.grpcCode, message: answer.message, details: [retryInfoDetail(answer.retryAfterSeconds)] };
        metadata.set('grpc-status-details-bin', Buffer.from(encodeRpcStatus(status)));
      }
      callback({ code: answer.grpcCode, details: answer.message, metadata });
    };
    try {
      if (authorized) {
        const [authorization] = call.metadata.get('authorization');
        const [token] = call.metadata.get('x-zeroscope-token');
        if (!authorized(authorization, token)) throw new UnauthorizedError();
      }
      const request = decodeProtobufRequest(call.request);
      if (!request.resourceSpans.some((rs) => rs.scopeSpans.some((ss) => ss.spans.length > 0))) {
        return callback(null, encodeExportResponse());
      }
      pusher.push(request).then(() => callback(null, encodeExportResponse()), fail);
    } catch (error) {
      fail(error);
    }
  };
  server.addService(traceServiceDefinition, { Export: exportHandler });
  if (options.logs) {
    const logsOptions = { pusher: options.logs, authToken: options.authToken, onError };
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
