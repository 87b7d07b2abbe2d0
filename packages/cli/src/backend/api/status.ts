/** `GET /api/echo`, `GET /ready` and `GET /api/status/buildinfo`. */
import { readFileSync } from 'node:fs';
import { sendJson, sendText } from './respond.ts';
import type { RouteHandler } from './route.ts';

/**
 * The Tempo version whose query API this backend serves: the HTTP routes, the tempopb messages
 * and the gRPC streaming API (grpc/) were written from Tempo's v3.0 line. Grafana's Tempo data
 * source reads it to switch features on (streamed search from 2.2.0, streamed TraceQL metrics
 * from 2.7.0, in the versions that gate them); both are served on the query port.
 */
export const TEMPO_COMPATIBLE_VERSION = '3.0.0';

const startedAt = new Date().toISOString();

function zeroscopeVersion(): string {
  try {
    const pkg = JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as {
      version?: string;
    };
    return pkg.version ?? 'unknown';
  } catch {
    return 'unknown';
  }
}

/** The buildinfo body, in Tempo's (Prometheus-style) shape. */
export function buildInfo(): Record<string, string> {
  return {
    version: TEMPO_COMPATIBLE_VERSION,
    revision: `zeroscope-${zeroscopeVersion()}`,
    branch: 'zeroscope',
    buildUser: 'zeroscope',
    buildDate: startedAt,
    goVersion: `node ${process.version}`,
  };
}

/** Handler for `GET /api/echo`: the text `echo`. */
export const echoHandler: RouteHandler = function echo(ctx) {
  sendText(ctx.req, ctx.res, 200, 'echo');
};

/** Handler for `GET /ready`: `ready`, or 503 while `isReady()` says no. */
export function readyHandler(isReady: () => boolean): RouteHandler {
  return function ready(ctx) {
    if (isReady()) sendText(ctx.req, ctx.res, 200, 'ready');
    else sendText(ctx.req, ctx.res, 503, 'not ready');
  };
}

/** Handler for `GET /api/status/buildinfo`. */
export const buildInfoHandler: RouteHandler = function buildInfoRoute(ctx) {
  sendJson(ctx.req, ctx.res, 200, buildInfo());
};
