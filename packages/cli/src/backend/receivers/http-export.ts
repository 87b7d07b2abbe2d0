/**
 * The OTLP/HTTP export endpoint, written once for every signal: `POST` with an
 * `application/x-protobuf` or `application/json` body, gzip or not, answered per the OTLP/HTTP
 * spec in the request's encoding (200 Export*ServiceResponse; 4xx/5xx google.rpc.Status;
 * Retry-After on overload).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { tokenGuard } from './auth.ts';
import type { BodyBudget } from './body-budget.ts';
import { UnsupportedMediaTypeError } from './errors.ts';
import type { OtlpSignal } from './export-signals.ts';
import { describeFailure, statusAnswer } from './failure.ts';
import { readBody } from './read-body.ts';
import { send, sendStatus } from './respond.ts';
import { DEFAULT_BODY_LIMITS, type BodyLimits, type ReceiverLimits } from './types.ts';

/** The body encodings OTLP/HTTP defines, by media type. */
const MEDIA_TYPES: Record<string, 'protobuf' | 'json'> = {
  'application/x-protobuf': 'protobuf',
  'application/protobuf': 'protobuf',
  'application/json': 'json',
};

function mediaTypeOf(req: IncomingMessage): string {
  return String(req.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
}

/**
 * Answers `httpStatus` with `message` as a google.rpc.Status in the request's encoding (JSON when
 * the request's is unknown), after draining the body nobody will read.
 */
export function refuseRequest(req: IncomingMessage, res: ServerResponse, httpStatus: number, message: string, headers?: Record<string, string>): void {
  req.resume();
  sendStatus(res, statusAnswer(httpStatus, message), MEDIA_TYPES[mediaTypeOf(req)] ?? 'json', headers);
}

/** What an export endpoint needs besides the signal. */
export interface HttpExportOptions<R> {
  pusher: { push(request: R): Promise<void> };
  limits?: ReceiverLimits;
  bodyBudget?: BodyBudget;
  authToken?: string;
  onError: (error: unknown) => void;
}

/** The request handler of one signal's export path (the caller routes the path to it). */
export function httpExportHandler<R>(signal: OtlpSignal<R>, options: HttpExportOptions<R>): (req: IncomingMessage, res: ServerResponse) => void {
  const { pusher, onError } = options;
  const bodyLimits: BodyLimits = { ...DEFAULT_BODY_LIMITS, ...options.limits };
  const checkToken = tokenGuard(options.authToken);

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (req.method !== 'POST') return refuseRequest(req, res, 405, `method ${req.method} not allowed; use POST`, { allow: 'POST' });
    const mediaType = mediaTypeOf(req);
    const format = MEDIA_TYPES[mediaType];
    const reservation = options.bodyBudget?.open();
    try {
      checkToken(req.headers.authorization, req.headers['x-zeroscope-token']);
      if (!format) throw new UnsupportedMediaTypeError(mediaType, Object.keys(MEDIA_TYPES));
      const body = await readBody(req, bodyLimits, reservation);
      const request = format === 'json' ? signal.decodeJson(body.toString('utf8')) : signal.decodeProtobuf(body);
      // Bad spans are dropped and reported; the good ones are stored (OTLP partial success).
      const partial = signal.screen(request, format);
      // An empty export (a flush with nothing in it) is a success with nothing to store.
      if (signal.hasRecords(request)) await pusher.push(request);
      if (format === 'json') send(res, 200, 'application/json', signal.responseJson(partial));
      else send(res, 200, 'application/x-protobuf', signal.encodeResponse(partial));
    } catch (error) {
      const answer = describeFailure(error);
      if (answer.unexpected) onError(error);
      sendStatus(res, answer, format ?? 'json');
    } finally {
      reservation?.release();
    }
  }

  return function otlpExport(req, res) {
    handle(req, res).catch((error: unknown) => {
      onError(error);
      if (!res.headersSent) res.destroy();
    });
  };
}
