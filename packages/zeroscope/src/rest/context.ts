import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http';
import type { Transform } from 'node:stream';

/** What middleware know about the route they wrap; fixed when the chain is built. */
export interface RouteInfo {
  /** The route's method, or undefined for the not-found / method-not-allowed fallback. */
  readonly method: string | undefined;
  /** The route template (`/api/order/:id`), or undefined for the fallback. */
  readonly path: string | undefined;
  /** A per-route deadline in ms overriding `RestConf.Timeout`. */
  readonly timeout: number | undefined;
}

/**
 * The per-request state middleware work on. Handlers see the same object through the typed
 * `Context` view (src/rest/route.ts). A class so every request has the same shape.
 */
export class RequestContext {
  /** Path parameters: raw strings until a `params` schema replaces them with its output. */
  params: Record<string, unknown>;
  /** Parsed query string until a `query` schema replaces it. */
  query: Record<string, unknown>;
  /** Undefined unless the route declares a `body` schema. */
  body: unknown = undefined;
  /** `req.headers` until a `headers` schema replaces them. */
  headers: IncomingHttpHeaders | Record<string, unknown>;
  /** Most body bytes the reader accepts (set by the max-bytes handler). */
  bodyLimit = Infinity;
  /** Decoder the body reader pipes the request through (set by the gunzip handler). */
  bodyDecoder: (() => Transform) | undefined = undefined;

  constructor(
    readonly req: IncomingMessage,
    readonly res: ServerResponse,
    /** The request path without the query string. */
    readonly path: string,
    readonly route: RouteInfo,
    params: Record<string, unknown>,
    query: Record<string, unknown>,
  ) {
    this.params = params;
    this.query = query;
    this.headers = req.headers;
  }
}

/** Runs (the rest of) the chain for one request. Always async: errors travel as rejections. */
export type Dispatch = (ctx: RequestContext) => Promise<void>;

/**
 * A middleware wraps the next step once per route, when the chain is built, so per-route
 * work (a span name, a deadline) is done once and not per request.
 *
 * @example
 *   const poweredBy: Middleware = (next) => async function poweredBy(ctx) {
 *     ctx.res.setHeader('x-powered-by', 'zeroscope');
 *     await next(ctx);
 *   };
 */
export type Middleware = (next: Dispatch, route: RouteInfo) => Dispatch;
