/**
 * OTLP logs ingestion: `POST /v1/logs` on the OTLP/HTTP receiver (protobuf or JSON, gzip or
 * not) and `opentelemetry.proto.collector.logs.v1.LogsService/Export` on the OTLP/gRPC one.
 * Errors are answered exactly as for traces (same failure mapping, same status bodies), so an
 * exporter retries logs when it would retry spans.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import * as grpc from '@grpc/grpc-js';
import {
  LOGS_EXPORT_PATH,
  LOGS_HTTP_PATH,
  countLogRecords,
  decodeLogsJsonRequest,
  decodeLogsProtobufRequest,
  encodeLogsExportResponse,
  encodeRpcStatus,
  exportResponseJson,
  retryInfoDetail,
  type ExportLogsServiceRequest,
} from '../otlp/index.ts';
import { tokenChecker } from './auth.ts';
import { UnauthorizedError, UnsupportedMediaTypeError } from './errors.ts';
import { describeFailure, grpcCodeForHttp } from './failure.ts';
import { readBody } from './read-body.ts';
import { send, sendStatus } from './respond.ts';
import { DEFAULT_MAX_BODY_BYTES, type ReceiverLimits } from './types.ts';

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
  /** As ReceiverOptions.authToken. */
  authToken?: string;
  onError?: (error: unknown) => void;
}

const MEDIA_TYPES: Record<string, 'protobuf' | 'json'> = {
  'application/x-protobuf': 'protobuf',
  'application/protobuf': 'protobuf',
  'application/json': 'json',
};

/**
 * The `POST /v1/logs` handler. The OTLP/HTTP receiver routes that path here.
 * @example
 *   createServer(otlpLogsHttpHandler({ pusher: logStore })).listen(4318);
 */
export function otlpLogsHttpHandler(options: OtlpLogsOptions): (req: IncomingMessage, res: ServerResponse) => void {
  const { pusher, onError = () => {} } = options;
  const maxBytes = options.limits?.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  const authorized = options.authToken === undefined ? undefined : tokenChecker(options.authToken);

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const mediaType = String(req.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
    const format = MEDIA_TYPES[mediaType];
    if (req.method !== 'POST') {
      req.resume();
      const message = `method ${req.method} not allowed; use POST`;
      return sendStatus(res, { httpStatus: 405, grpcCode: grpcCodeForHttp(405), message, unexpected: false }, format ?? 'json', { allow: 'POST' });
    }
    try {
      if (authorized && !authorized(req.headers.authorization, req.headers['x-zeroscope-token'])) throw new UnauthorizedError();
      if (!format) throw new UnsupportedMediaTypeError(mediaType, Object.keys(MEDIA_TYPES));
      const body = await readBody(req, maxBytes);
      const request = format === 'json' ? decodeLogsJsonRequest(body.toString('utf8')) : decodeLogsProtobufRequest(body);
      // An empty export (a flush with nothing in it) is a success with nothing to store.
      if (countLogRecords(request) > 0) await pusher.push(request);
      if (format === 'json') send(res, 200, 'application/json', exportResponseJson());
      else send(res, 200, 'application/x-protobuf', encodeLogsExportResponse());
    } catch (error) {
      const answer = describeFailure(error);
      if (answer.unexpected) onError(error);
      sendStatus(res, answer, format ?? 'json');
    }
  }

  return function otlpLogsHttp(req, res) {
    handle(req, res).catch((error: unknown) => {
      onError(error);
      if (!res.headersSent) res.destroy();
    });
  };
}

const identity = (bytes: Buffer): Buffer => bytes;

/** The LogsService definition with raw-bytes (de)serialisers; decoding happens in the handler. */
export const logsServiceDefinition: grpc.ServiceDefinition = {
  Export: {
    path: LOGS_EXPORT_PATH,
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
 * The LogsService implementation, for `server.addService(logsServiceDefinition, ...)` on the
 * OTLP/gRPC receiver's server.
 */
export function otlpLogsGrpcImplementation(options: OtlpLogsOptions): grpc.UntypedServiceImplementation {
  const { pusher, onError = () => {} } = options;
  const authorized = options.authToken === undefined ? undefined : tokenChecker(options.authToken);
  const exportLogs: grpc.handleUnaryCall<Buffer, Uint8Array> = (call, callback) => {
    const fail = (error: unknown): void => {
      const answer = describeFailure(error);
      if (answer.unexpected) onError(error);
      const metadata = new grpc.Metadata();
      if (answer.retryAfterSeconds !== undefined) {
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
      const request = decodeLogsProtobufRequest(call.request);
      if (countLogRecords(request) === 0) return callback(null, encodeLogsExportResponse());
      pusher.push(request).then(() => callback(null, encodeLogsExportResponse()), fail);
    } catch (error) {
      fail(error);
    }
  };
  return { Export: exportLogs };
}
