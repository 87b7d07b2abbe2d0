import type { IncomingMessage, ServerResponse } from 'node:http';
import {
  propagation,
  ROOT_CONTEXT,
  type Attributes,
  type Context as OtelContext,
  type Span,
  SpanKind,
  SpanStatusCode,
  type TextMapSetter,
  trace,
  type Tracer,
} from '@opentelemetry/api';
import {
  ATTR_CLIENT_ADDRESS,
  ATTR_HTTP_REQUEST_METHOD,
  ATTR_HTTP_RESPONSE_STATUS_CODE,
  ATTR_HTTP_ROUTE,
  ATTR_SERVER_ADDRESS,
  ATTR_SERVER_PORT,
  ATTR_URL_PATH,
  ATTR_URL_SCHEME,
  ATTR_USER_AGENT_ORIGINAL,
  splitHostPort,
  tracer as zeroscopeTracer,
} from '../../trace/index.ts';
import type { Middleware, RequestContext, RouteInfo } from '../context.ts';
import { HttpError } from '../errors.ts';
import { type Stage, type StageRun, stagedMiddleware } from '../internal/stages.ts';

/** Options of `tracingHandler`. */
export interface TracingOptions {
  /** The tracer to use; defaults to zeroscope's own (src/trace `tracer()`). */
  tracer?: Tracer;
}

// The span and whether an exception already set its status, parked on the response so the
// 'close' listener can be one shared function instead of a closure per request.
const kSpan = Symbol('zeroscope.rest.span');
const kErrored = Symbol('zeroscope.rest.spanErrored');
interface TracedResponse extends ServerResponse {
  [kSpan]?: Span;
  [kErrored]?: boolean;
}

const KNOWN_METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'CONNECT', 'OPTIONS', 'TRACE', 'PATCH']);

const responseSetter: TextMapSetter<ServerResponse> = {
  set(res, key, value) {
    res.setHeader(key, value);
  },
};

/**
 * The seed's TracingHandler: one SERVER span per request, named `METHOD /route/:template` (just
 * `METHOD` when no route matched), child of the context in the incoming headers, active while
 * the rest of the chain runs, injected into the response headers, ended exactly once when the
 * response closes (finished or aborted). Status is Error on 5xx, on thrown non-HttpErrors and on
 * HttpErrors carrying a `cause`; those are recorded as exception events and rethrown unchanged.
 *
 * The tracer is looked up once, when the chain is built (`RestServer.start()`); the API's proxy
 * still forwards to a provider registered later.
 *
 * @example
 *   const traced = tracingHandler(); // wired by chain.ts when Middlewares.Trace is on
 */
export function tracingHandler(options: TracingOptions = {}): Middleware {
  const tracer = options.tracer ?? zeroscopeTracer();
  return stagedMiddleware('tracing', (route) => new TracingStage(tracer, route));
}

/** The tracing handler for one route: its span name and `http.route` are fixed once here. */
class TracingStage implements Stage {
  private readonly routeName: string | undefined;
  private readonly template: string | undefined;

  constructor(
    private readonly tracer: Tracer,
    route: RouteInfo,
  ) {
    const template = route.path;
    this.template = template;
    this.routeName = template === undefined ? undefined : `${route.method} ${template}`;
  }

  enter(ctx: RequestContext, run: StageRun): Span {
    const req = ctx.req;
    const res = ctx.res as TracedResponse;
    const method = requestMethod(req.method);
    const attributes = requestAttributes(this.template, method, ctx);
    const parent = extractParent(req);
    const span = this.tracer.startSpan(this.routeName ?? (method === '_OTHER' ? 'HTTP' : method), { kind: SpanKind.SERVER, attributes }, parent);
    const active = trace.setSpan(parent, span);
    // Only the trace context goes back: echoing the caller's baggage would reflect its input.
    // (deleteBaggage copies the context: only when there is baggage to drop.)
    propagation.inject(propagation.getBaggage(active) === undefined ? active : propagation.deleteBaggage(active), res, responseSetter);
    res[kSpan] = span;
    res.on('close', endServerSpan);
    // The rest of the chain (and the handler) runs with the span active.
    run.activeContext = active;
    return span;
  }

  exit(span: unknown, ctx: RequestContext, run: StageRun): void {
    if (run.failed) recordFailure(span as Span, ctx.res as TracedResponse, run.error);
  }
}

/**
 * A 4xx the handler chose is the client's fault; one caused by a failed downstream call (HttpError
 * with a cause, like order's 404 from user-rpc's NOT_FOUND) is a failure here too.
 */
function recordFailure(span: Span, res: TracedResponse, err: unknown): void {
  if (err instanceof HttpError && err.status < 500 && err.cause === undefined) return;
  const cause = err instanceof HttpError && err.cause !== undefined ? err.cause : err;
  const message = cause instanceof Error ? cause.message : String(cause);
  span.recordException(cause instanceof Error ? cause : message);
  span.setStatus({ code: SpanStatusCode.ERROR, message });
  res[kErrored] = true;
}

function endServerSpan(this: TracedResponse): void {
  const span = this[kSpan];
  if (span === undefined) return;
  this[kSpan] = undefined;
  // Headers never sent means the client went away first: there is no status to report.
  if (this.headersSent) {
    const status = this.statusCode;
    span.setAttribute(ATTR_HTTP_RESPONSE_STATUS_CODE, status);
    // Server spans leave 4xx unset: the client erred, not us.
    if (status >= 500 && this[kErrored] !== true) span.setStatus({ code: SpanStatusCode.ERROR });
  }
  span.end();
}

function extractParent(req: IncomingMessage): OtelContext {
  try {
    return propagation.extract(ROOT_CONTEXT, req.headers);
  } catch {
    // A propagator that chokes on bad headers must not fail the request: start a fresh trace.
    return ROOT_CONTEXT;
  }
}

/** Semconv: methods outside the known set are reported as `_OTHER`. */
function requestMethod(method: string | undefined): string {
  return method !== undefined && KNOWN_METHODS.has(method) ? method : '_OTHER';
}

// Host headers seen lately, split: a service answers to a handful of names, so the split is
// cached rather than parsed per request (cleared when full, so hostile Host values cannot grow it).
const hostCache = new Map<string, { host: string; port?: number }>();
const HOST_CACHE_MAX = 256;

function hostOf(header: string): { host: string; port?: number } {
  let split = hostCache.get(header);
  if (split === undefined) {
    if (hostCache.size >= HOST_CACHE_MAX) hostCache.clear();
    split = splitHostPort(header);
    hostCache.set(header, split);
  }
  return split;
}

/**
 * The SERVER span's start attributes. The usual request (a route, a Host header or local port, a
 * peer address) gets them in one object literal: one allocation of a shape V8 has seen. Node 20's
 * V8 takes about a microsecond for each property added to a spread copy (`{ ...perRoute }` plus
 * seven keys cost 4 µs a request; Node 24 has no such cliff); the rest are built key by key.
 */
function requestAttributes(template: string | undefined, method: string, ctx: RequestContext): Attributes {
  const req = ctx.req;
  const socket = req.socket;
  const scheme = (socket as { encrypted?: boolean }).encrypted === true ? 'https' : 'http';
  const host = req.headers.host;
  let serverAddress: string | undefined;
  let serverPort: number | undefined;
  if (host !== undefined && host.length > 0) {
    const split = hostOf(host);
    serverAddress = split.host;
    serverPort = split.port ?? socket.localPort;
  } else {
    serverAddress = socket.localAddress;
    serverPort = socket.localPort;
  }
  const clientAddress = socket.remoteAddress;
  const userAgent = req.headers['user-agent'];
  if (template !== undefined && serverAddress !== undefined && serverPort !== undefined && clientAddress !== undefined) {
    return userAgent === undefined
      ? {
          [ATTR_HTTP_ROUTE]: template,
          [ATTR_HTTP_REQUEST_METHOD]: method,
          [ATTR_URL_PATH]: ctx.path,
          [ATTR_URL_SCHEME]: scheme,
          [ATTR_SERVER_ADDRESS]: serverAddress,
          [ATTR_SERVER_PORT]: serverPort,
          [ATTR_CLIENT_ADDRESS]: clientAddress,
        }
      : {
          [ATTR_HTTP_ROUTE]: template,
          [ATTR_HTTP_REQUEST_METHOD]: method,
          [ATTR_URL_PATH]: ctx.path,
          [ATTR_URL_SCHEME]: scheme,
          [ATTR_SERVER_ADDRESS]: serverAddress,
          [ATTR_SERVER_PORT]: serverPort,
          [ATTR_CLIENT_ADDRESS]: clientAddress,
          [ATTR_USER_AGENT_ORIGINAL]: userAgent,
        };
  }
  const attributes: Attributes = {};
  if (template !== undefined) attributes[ATTR_HTTP_ROUTE] = template;
  attributes[ATTR_HTTP_REQUEST_METHOD] = method;
  attributes[ATTR_URL_PATH] = ctx.path;
  attributes[ATTR_URL_SCHEME] = scheme;
  if (serverAddress !== undefined) attributes[ATTR_SERVER_ADDRESS] = serverAddress;
  if (serverPort !== undefined) attributes[ATTR_SERVER_PORT] = serverPort;
  if (clientAddress !== undefined) attributes[ATTR_CLIENT_ADDRESS] = clientAddress;
  if (userAgent !== undefined) attributes[ATTR_USER_AGENT_ORIGINAL] = userAgent;
  return attributes;
}
