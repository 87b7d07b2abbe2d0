/**
 * The Zipkin v2 receiver: `POST /api/v2/spans` with a JSON array of spans (gzip or not),
 * answered as Zipkin does: 202 with no body on success, a plain-text reason on failure.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { ZipkinDecodeError, decodeZipkinSpans } from '../otlp/index.ts';
import { tokenGuard } from './auth.ts';
import { UnsupportedMediaTypeError } from './errors.ts';
import { describeFailure } from './failure.ts';
import { httpReceiver } from './http-server.ts';
import { readBody } from './read-body.ts';
import { retryHeaders, send } from './respond.ts';
import { DEFAULT_BODY_LIMITS, type BodyLimits } from './types.ts';
import type { Receiver, ReceiverOptions } from './types.ts';

function text(res: ServerResponse, status: number, message: string, headers?: Record<string, string>): void {
  send(res, status, 'text/plain; charset=utf-8', `${message}\n`, headers);
}

/** A refusal before the body is read, as plain text. */
function refuseText(req: IncomingMessage, res: ServerResponse, status: number, message: string): void {
  req.resume();
  text(res, status, message);
}

/** The Zipkin v2 span upload path. */
export const ZIPKIN_SPANS_PATH = '/api/v2/spans';

/** The Zipkin request handler alone, for mounting on an existing node:http server. */
export function zipkinHandler(options: Omit<ReceiverOptions, 'port' | 'host'>): (req: IncomingMessage, res: ServerResponse) => void {
  const { pusher, onError = () => {} } = options;
  const bodyLimits: BodyLimits = { ...DEFAULT_BODY_LIMITS, ...options.limits };
  const checkToken = tokenGuard(options.authToken);

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if ((req.url ?? '/').split('?')[0] !== ZIPKIN_SPANS_PATH) {
      req.resume();
      return text(res, 404, `not found; Zipkin v2 spans are accepted at POST ${ZIPKIN_SPANS_PATH}`);
    }
    if (req.method !== 'POST') {
      req.resume();
      return text(res, 405, `method ${req.method} not allowed; use POST`, { allow: 'POST' });
    }
    const reservation = options.bodyBudget?.open();
    try {
      checkToken(req.headers.authorization, req.headers['x-zeroscope-token']);
      // Zipkin itself reads JSON when no type is given, but a body with no type (or text/plain) is
      // one a browser sends cross-site without a CORS preflight: any web page could write spans.
      // So the type must be said. Zipkin's proto3 encoding is not supported here.
      const mediaType = String(req.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
      if (mediaType !== 'application/json') throw new UnsupportedMediaTypeError(mediaType, ['application/json']);
      const body = await readBody(req, bodyLimits, reservation);
      let json: unknown;
      try {
        json = JSON.parse(body.toString('utf8'));
      } catch (error) {
        throw new ZipkinDecodeError(`not valid JSON: ${(error as Error).message}`, { cause: error });
      }
      const request = decodeZipkinSpans(json);
      if (request.resourceSpans.length > 0) await pusher.push(request);
      send(res, 202, undefined, '');
    } catch (error) {
      const answer = describeFailure(error);
      if (answer.unexpected) onError(error);
      text(res, answer.httpStatus, answer.message, retryHeaders(answer));
    } finally {
      reservation?.release();
    }
  }

  return function zipkin(req, res) {
    handle(req, res).catch((error: unknown) => {
      onError(error);
      if (!res.headersSent) res.destroy();
    });
  };
}

/**
 * The Zipkin receiver (default port 9411 in the backend).
 * @example
 *   await createZipkinReceiver({ host: '127.0.0.1', port: 9411, pusher: store }).start();
 */
export function createZipkinReceiver(options: ReceiverOptions): Receiver {
  return httpReceiver('zipkin', options.host ?? '127.0.0.1', options.port, zipkinHandler(options), {
    ...(options.allowedHosts ? { allowedHosts: options.allowedHosts } : {}),
    refuse: refuseText,
  });
}
