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
  // Built once per route; each request copies it and adds what only the request knows.
  private readonly routeAttributes: Attributes;

  constructor(
    private readonly tracer: Tracer,
    route: RouteInfo,
  ) {
    const template = route.path;
    this.routeName = template === undefined ? undefined : `${route.method} ${template}`;
    this.routeAttributes = template === undefined ? {} : { [ATTR_HTTP_ROUTE]: template };
  }

  enter(ctx: RequestContext, run: StageRun): Span {
    const req = ctx.req;
    const res = ctx.res as TracedResponse;
    const method = requestMethod(req.method);
    const attributes: Attributes = { ...this.routeAttributes };
    attributes[ATTR_HTTP_REQUEST_METHOD] = method;
    attributes[ATTR_URL_PATH] = ctx.path;
    attributes[ATTR_URL_SCHEME] = (req.socket as { encrypted?: boolean }).encrypted === true ? 'https' : 'http';
    addServerAndClient(attributes, req);
    const userAgent = req.headers['user-agent'];
    if (userAgent !== undefined) attributes[ATTR_USER_AGENT_ORIGINAL] = userAgent;

    const parent = extractParent(req);
    const span = this.tracer.startSpan(this.routeName ?? (method === '_OTHER' ? 'HTTP' : method), { kind: SpanKind.SERVER, attributes }, parent);
    const active = trace.setSpan(parent, span);
    // Only the trace context goes back: echoing the caller's baggage would reflect its input.
    propagation.inject(propagation.deleteBaggage(active), res, responseSetter);
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

/** `server.*` from the Host header (the name the client used), else the local socket. */
function addServerAndClient(attributes: Attributes, req: IncomingMessage): void {
  const host = req.headers.host;
  const socket = req.socket;
  if (host !== undefined && host.length > 0) {
    const { host: name, port } = hostOf(host);
    attributes[ATTR_SERVER_ADDRESS] = name;
    const serverPort = port ?? socket.localPort;
    if (serverPort !== undefined) attributes[ATTR_SERVER_PORT] = serverPort;
  } else {
    if (socket.localAddress !== undefined) attributes[ATTR_SERVER_ADDRESS] = socket.localAddress;
    if (socket.localPort !== undefined) attributes[ATTR_SERVER_PORT] = socket.localPort;
  }
  if (socket.remoteAddress !== undefined) attributes[ATTR_CLIENT_ADDRESS] = socket.remoteAddress;
}
