/**
 * The OTLP/HTTP trace receiver: `POST /v1/traces` with `application/x-protobuf` or
 * `application/json` bodies, gzip or not, answered per the OTLP/HTTP spec in the request's
 * encoding (200 ExportTraceServiceResponse; 4xx/5xx google.rpc.Status; Retry-After on overload).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import {
  decodeJsonRequest,
  decodeProtobufRequest,
  encodeExportResponse,
  exportResponseJson,
  LOGS_HTTP_PATH,
} from '../otlp/index.ts';
import { tokenChecker } from './auth.ts';
import { UnauthorizedError, UnsupportedMediaTypeError } from './errors.ts';
import { describeFailure, grpcCodeForHttp } from './failure.ts';
import { httpReceiver } from './http-server.ts';
import { otlpLogsHttpHandler, type LogsPusher } from './otlp-logs.ts';
import { readBody } from './read-body.ts';
import { send, sendStatus } from './respond.ts';
import { DEFAULT_MAX_BODY_BYTES } from './types.ts';
import type { Receiver, ReceiverOptions } from './types.ts';

/** Options of the OTLP/HTTP receiver. */
export interface OtlpHttpOptions extends Omit<ReceiverOptions, 'port' | 'host'> {
  /** URL path of the trace export; default `/v1/traces`. */
  path?: string;
  /** Where `POST /v1/logs` records go; without it that path is a 404 like any other. */
  logs?: LogsPusher;
}

const MEDIA_TYPES: Record<string, 'protobuf' | 'json'> = {
  'application/x-protobuf': 'protobuf',
  'application/protobuf': 'protobuf',
  'application/json': 'json',
};

/**
 * The request handler alone, for mounting on an existing node:http server.
 * @example
 *   createServer(otlpHttpHandler({ pusher: store })).listen(4318);
 */
export function otlpHttpHandler(options: OtlpHttpOptions): (req: IncomingMessage, res: ServerResponse) => void {
  const { pusher, path = '/v1/traces', onError = () => {} } = options;
  const maxBytes = options.limits?.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  const authorized = options.authToken === undefined ? undefined : tokenChecker(options.authToken);
  const logsHandler = options.logs
    ? otlpLogsHttpHandler({ pusher: options.logs, limits: options.limits, authToken: options.authToken, onError })
    : undefined;

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const mediaType = String(req.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
    const format = MEDIA_TYPES[mediaType];
    const fail = (error: unknown, headers?: Record<string, string>): void => {
      const answer = describeFailure(error);
      if (answer.unexpected) onError(error);
      sendStatus(res, answer, format ?? 'json', headers);
    };
    const reply = (httpStatus: number, message: string, headers?: Record<string, string>): void =>
      sendStatus(res, { httpStatus, grpcCode: grpcCodeForHttp(httpStatus), message, unexpected: false }, format ?? 'json', headers);

    const urlPath = (req.url ?? '/').split('?')[0];
    if (logsHandler && urlPath === LOGS_HTTP_PATH) return logsHandler(req, res);
    if (urlPath !== path) {
      req.resume();
      return reply(404, `not found; OTLP traces are accepted at POST ${path}`);
    }
    if (req.method !== 'POST') {
      req.resume();
      return reply(405, `method ${req.method} not allowed; use POST`, { allow: 'POST' });
    }
    try {
      if (authorized && !authorized(req.headers.authorization, req.headers['x-zeroscope-token'])) {
        throw new UnauthorizedError();
      }
      if (!format) throw new UnsupportedMediaTypeError(mediaType, Object.keys(MEDIA_TYPES));
      const body = await readBody(req, maxBytes);
      const request = format === 'json' ? decodeJsonRequest(body.toString('utf8')) : decodeProtobufRequest(body);
      // An empty export (a flush with nothing in it) is a success with nothing to store.
      if (request.resourceSpans.some((rs) => rs.scopeSpans.some((ss) => ss.spans.length > 0))) {
        await pusher.push(request);
      }
      if (format === 'json') send(res, 200, 'application/json', exportResponseJson());
      else send(res, 200, 'application/x-protobuf', encodeExportResponse());
    } catch (error) {
      fail(error);
    }
  }

  return function otlpHttp(req, res) {
    handle(req, res).catch((error: unknown) => {
      onError(error);
      if (!res.headersSent) res.destroy();
    });
  };
}

/**
 * The OTLP/HTTP receiver (default port 4318 in the backend).
 * @example
 *   const receiver = createOtlpHttpReceiver({ host: '127.0.0.1', port: 4318, pusher: store });
 *   await receiver.start();
 */
export function createOtlpHttpReceiver(options: OtlpHttpOptions & ReceiverOptions): Receiver {
  return httpReceiver('otlp-http', options.host ?? '127.0.0.1', options.port, otlpHttpHandler(options));
}
