/**
 * The OTLP/HTTP receiver: `POST /v1/traces` (and `POST /v1/logs` when given a logs pusher), with
 * `application/x-protobuf` or `application/json` bodies, gzip or not, answered per the OTLP/HTTP
 * spec in the request's encoding (see http-export.ts).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { LOGS_HTTP_PATH } from '../otlp/index.ts';
import { TRACES_SIGNAL } from './export-signals.ts';
import { httpExportHandler, refuseRequest } from './http-export.ts';
import { httpReceiver } from './http-server.ts';
import { otlpLogsHttpHandler, type LogsPusher } from './otlp-logs.ts';
import type { Receiver, ReceiverOptions } from './types.ts';

/** Options of the OTLP/HTTP receiver. */
export interface OtlpHttpOptions extends Omit<ReceiverOptions, 'port' | 'host'> {
  /** URL path of the trace export; default `/v1/traces`. */
  path?: string;
  /** Where `POST /v1/logs` records go; without it that path is a 404 like any other. */
  logs?: LogsPusher;
}

/**
 * The request handler alone, for mounting on an existing node:http server.
 * @example
 *   createServer(otlpHttpHandler({ pusher: store })).listen(4318);
 */
export function otlpHttpHandler(options: OtlpHttpOptions): (req: IncomingMessage, res: ServerResponse) => void {
  const { pusher, path = '/v1/traces', onError = () => {} } = options;
  const { limits, authToken, bodyBudget } = options;
  const tracesHandler = httpExportHandler(TRACES_SIGNAL, { pusher, limits, authToken, bodyBudget, onError });
  const logsHandler = options.logs ? otlpLogsHttpHandler({ pusher: options.logs, limits, authToken, bodyBudget, onError }) : undefined;

  return function otlpHttp(req, res) {
    const urlPath = (req.url ?? '/').split('?')[0];
    if (logsHandler && urlPath === LOGS_HTTP_PATH) return logsHandler(req, res);
    if (urlPath === path) return tracesHandler(req, res);
    refuseRequest(req, res, 404, `not found; OTLP traces are accepted at POST ${path}`);
  };
}

/**
 * The OTLP/HTTP receiver (default port 4318 in the backend).
 * @example
 *   const receiver = createOtlpHttpReceiver({ host: '127.0.0.1', port: 4318, pusher: store });
 *   await receiver.start();
 */
export function createOtlpHttpReceiver(options: OtlpHttpOptions & ReceiverOptions): Receiver {
  return httpReceiver('otlp-http', options.host ?? '127.0.0.1', options.port, otlpHttpHandler(options), {
    ...(options.allowedHosts ? { allowedHosts: options.allowedHosts } : {}),
    refuse: refuseRequest,
  });
}
