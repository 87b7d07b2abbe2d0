/**
 * The web UI in front of any Tempo-compatible API: serves the built UI and forwards the API
 * paths it reads (`/api/...`, GET and HEAD only) to that Tempo, adding configured headers
 * (a tenant's `X-Scope-OrgID`, an `Authorization` token). The browser only ever talks to this
 * origin, so the UI's strict content security policy holds and secrets never reach the page.
 */
import { createServer, request as httpRequest, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { AddressInfo } from 'node:net';
import { staticUiHandler } from '../backend/api/index.ts';

/** Options of {@link createTempoProxy}. */
export interface TempoProxyOptions {
  /** Base URL of the Tempo API, e.g. `https://tempo.example.com` or `http://127.0.0.1:3200`; a path prefix is kept. */
  tempoUrl: string;
  /** Headers added to every forwarded request (they win over the browser's). */
  headers?: Readonly<Record<string, string>>;
  /** Interface to bind; default 127.0.0.1. */
  host?: string;
  /** Port; default 3200, 0 picks a free one. */
  port?: number;
  /** Folder of the built UI; default `dist/ui` in the repository. */
  uiDir?: string;
  /** How long to wait for Tempo before answering 504, ms (default 30 000). */
  timeoutMs?: number;
}

/** A running (or startable) UI proxy. */
export interface TempoProxy {
  start(): Promise<void>;
  /** Stops accepting and closes open connections; safe to call twice. */
  stop(): Promise<void>;
  /** The bound port (after start). */
  readonly port: number;
}

/** Request headers passed on from the browser; everything else (cookies, its own auth) stays here. */
const FORWARDED_REQUEST_HEADERS = ['accept', 'accept-encoding', 'accept-language', 'user-agent'];
/** Response headers not passed back: hop-by-hop ones, and cookies of the upstream's origin. */
const DROPPED_RESPONSE_HEADERS = new Set(['connection', 'keep-alive', 'transfer-encoding', 'set-cookie', 'proxy-authenticate']);

function answer(res: ServerResponse, status: number, error: string, code: string): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  const body = JSON.stringify({ error, code });
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), 'x-content-type-options': 'nosniff' });
  res.end(body);
}

/**
 * Builds the proxy server (not yet listening).
 * @example
 * const proxy = createTempoProxy({ tempoUrl: 'https://tempo.example.com', headers: { 'X-Scope-OrgID': 'team-a' }, port: 0 });
 * await proxy.start();
 */
export function createTempoProxy(options: TempoProxyOptions): TempoProxy {
  const base = new URL(options.tempoUrl);
  const basePath = base.pathname.replace(/\/+$/, '');
  const send = base.protocol === 'https:' ? httpsRequest : httpRequest;
  const extraHeaders = options.headers ?? {};
  const timeoutMs = options.timeoutMs ?? 30_000;
  const staticUi = staticUiHandler(options.uiDir);

  function forward(req: IncomingMessage, res: ServerResponse): void {
    const target = new URL(base.href);
    const url = req.url ?? '/';
    const q = url.indexOf('?');
    target.pathname = basePath + (q >= 0 ? url.slice(0, q) : url);
    target.search = q >= 0 ? url.slice(q) : '';
    const headers: Record<string, string> = {};
    for (const name of FORWARDED_REQUEST_HEADERS) {
      const value = req.headers[name];
      if (typeof value === 'string') headers[name] = value;
    }
    Object.assign(headers, extraHeaders);
    const upstream = send(target, { method: req.method, headers, timeout: timeoutMs }, (up) => {
      const copied: Record<string, string | string[]> = {};
      for (const [name, value] of Object.entries(up.headers)) {
        if (value !== undefined && !DROPPED_RESPONSE_HEADERS.has(name)) copied[name] = value;
      }
      res.writeHead(up.statusCode ?? 502, copied);
      up.pipe(res);
    });
    upstream.on('timeout', () => upstream.destroy(Object.assign(new Error(`no answer within ${timeoutMs}ms`), { timedOut: true })));
    upstream.on('error', (err: Error & { timedOut?: boolean }) => {
      const status = err.timedOut ? 504 : 502;
      answer(res, status, `Tempo at ${base.origin} did not answer: ${err.message}`, 'CLI_ERR_TEMPO_UNREACHABLE');
    });
    // The browser went away: stop waiting for Tempo.
    res.on('close', () => {
      if (!res.writableFinished) upstream.destroy();
    });
    upstream.end();
  }

  function handle(req: IncomingMessage, res: ServerResponse): void {
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.setHeader('allow', 'GET, HEAD');
      answer(res, 405, `method ${req.method ?? ''} not allowed`, 'CLI_ERR_METHOD');
      return;
    }
    const path = (req.url ?? '/').split('?')[0]!;
    if (path === '/api' || path.startsWith('/api/')) {
      forward(req, res);
      return;
    }
    const query = new URLSearchParams((req.url ?? '').split('?')[1] ?? '');
    Promise.resolve(staticUi({ req, res, params: {}, query })).catch(() => answer(res, 500, 'internal error', 'CLI_ERR_INTERNAL'));
  }

  let server: Server | undefined;
  let port = 0;
  let stopped: Promise<void> | undefined;
  return {
    get port() {
      return port;
    },
    async start() {
      const s = createServer(handle);
      server = s;
      await new Promise<void>((resolve, reject) => {
        s.once('error', reject);
        s.listen(options.port ?? 3200, options.host ?? '127.0.0.1', () => resolve());
      });
      port = (s.address() as AddressInfo).port;
    },
    stop() {
      stopped ??= new Promise<void>((resolve) => {
        if (!server?.listening) return resolve();
        server.close(() => resolve());
        server.closeAllConnections();
      });
      return stopped;
    },
  };
}
