/**
 * Writing responses: JSON, text, protobuf and errors, all with the same security headers. The
 * API never sets CORS headers unless an origin was allowed explicitly (see `corsHeaders`).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { ApiError } from './errors.ts';
import { MEDIA_JSON, MEDIA_PROTOBUF } from './paths.ts';

/** Headers on every answer. */
const BASE_HEADERS: Record<string, string> = {
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
};

/**
 * The UI is our own bundle served from the same origin: nothing inline, nothing remote, no
 * framing. Values are set through the DOM's style properties, which this policy allows.
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "manifest-src 'self'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

/** Headers for an HTML page. */
export const HTML_HEADERS: Record<string, string> = {
  'content-security-policy': CONTENT_SECURITY_POLICY,
  'x-frame-options': 'DENY',
};

/** Writes a complete response; HEAD gets the headers only. */
export function send(
  req: IncomingMessage,
  res: ServerResponse,
  status: number,
  body: string | Uint8Array,
  headers: Record<string, string>,
): void {
  const buffer = typeof body === 'string' ? Buffer.from(body, 'utf8') : body;
  res.writeHead(status, { ...BASE_HEADERS, ...headers, 'content-length': String(buffer.byteLength) });
  res.end(req.method === 'HEAD' ? undefined : buffer);
}

/** JSON body; bigints (never expected, but cheap to guard) become strings. */
export function sendJson(req: IncomingMessage, res: ServerResponse, status: number, value: unknown): void {
  const text = JSON.stringify(value, (_key, v: unknown) => (typeof v === 'bigint' ? v.toString() : v));
  send(req, res, status, text, { 'content-type': MEDIA_JSON });
}

/** Plain text body. */
export function sendText(req: IncomingMessage, res: ServerResponse, status: number, text: string): void {
  send(req, res, status, text, { 'content-type': 'text/plain; charset=utf-8' });
}

/** Protobuf body. */
export function sendProto(req: IncomingMessage, res: ServerResponse, bytes: Uint8Array): void {
  send(req, res, 200, bytes, { 'content-type': MEDIA_PROTOBUF });
}

/**
 * An error as a response. 400s are plain text, the way Tempo answers them (Grafana shows the body
 * as the error message); other statuses are JSON `{error, code}`; unexpected errors are 500s
 * that do not leak their message.
 */
export function sendError(req: IncomingMessage, res: ServerResponse, err: unknown): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  if (err instanceof ApiError) {
    if (err.status === 400) sendText(req, res, 400, err.message);
    else sendJson(req, res, err.status, { error: err.message, code: err.code });
    return;
  }
  sendJson(req, res, 500, { error: 'internal error', code: 'API_ERR_INTERNAL' });
}

/** True when the client asked for protobuf (Grafana does for trace-by-id). */
export function wantsProtobuf(req: IncomingMessage): boolean {
  const accept = req.headers.accept ?? '';
  return accept.split(',').some((part) => part.trim().split(';')[0]!.trim().toLowerCase() === MEDIA_PROTOBUF);
}

const UNAUTHORIZED_PAGE = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>zeroscope: token required</title></head>
<body><h1>zeroscope</h1>
<p>This backend requires a token. Open this page as <code>/?token=&lt;token&gt;</code> once; the
browser keeps it in a cookie for the session.</p>
</body></html>
`;

/**
 * 401 for a request without a valid token: JSON with `WWW-Authenticate` for the API, a short
 * page saying how to log in for the UI's pages.
 */
export function sendUnauthorized(req: IncomingMessage, res: ServerResponse, err: ApiError): void {
  const path = (req.url ?? '/').split('?')[0]!;
  res.setHeader('www-authenticate', 'Bearer realm="zeroscope"');
  if (path.startsWith('/api/') || path === '/api') sendJson(req, res, 401, { error: err.message, code: err.code });
  else send(req, res, 401, UNAUTHORIZED_PAGE, { 'content-type': 'text/html; charset=utf-8', ...HTML_HEADERS });
}

/** The answer to a CORS preflight from an allowed origin: GET/HEAD with the token headers. */
export const CORS_PREFLIGHT_HEADERS: Record<string, string> = {
  'access-control-allow-methods': 'GET, HEAD',
  'access-control-allow-headers': 'authorization, x-zeroscope-token, accept, content-type',
  'access-control-max-age': '600',
};

/** CORS headers for an explicitly allowed origin; nothing otherwise (closed by default). */
export function corsHeaders(req: IncomingMessage, allowedOrigins: readonly string[]): Record<string, string> {
  const origin = req.headers.origin;
  if (!origin || !(allowedOrigins.includes(origin) || allowedOrigins.includes('*'))) return {};
  return { 'access-control-allow-origin': origin, vary: 'Origin' };
}
