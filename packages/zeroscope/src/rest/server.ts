import { createServer as createHttpServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type FindMyWayModule from 'find-my-way';
import type { HTTPMethod } from 'find-my-way';
import { loadOnUse } from '../internal/load-on-use.ts';
import { listenError, setUp } from '../service/index.ts';
import { builtinMiddlewares, composeChain } from './chain.ts';
import { type RestConf, type RestConfInput, RestConfSchema } from './config.ts';
import { type Dispatch, type Middleware, RequestContext, type RouteInfo } from './context.ts';
import { routeEndpoint } from './endpoint.ts';
import { HttpError, REST_ERROR_CODES } from './errors.ts';
import { openApiDocument, type OpenApiDocument, type OpenApiRoute } from './openapi/document.ts';
import { logRequestError, type ErrorReporter } from './respond.ts';
import type { AnyRoute, HttpMethod, RequestSchemas, Route } from './route.ts';

// Required, not imported: Node 20 reads every CommonJS file an ES module imports with its
// JavaScript export scanner, and this entry's 37 KB made that scanner hot enough for V8 to
// recompile it in the background, which left ~6 MB of malloc'd memory in an idle service.
const FindMyWay = loadOnUse('find-my-way') as typeof FindMyWayModule;

/** Options that are code, not config. */
export interface RestServerOptions {
  /** Told about errors that became a 500 or a dropped connection; defaults to an error line on the process logger (src/log). */
  onError?: ErrorReporter;
  /** How long `stop()` waits for in-flight requests before closing their connections (ms). */
  stopTimeout?: number;
}

/** Options of `addRoutes`. */
export interface RouteGroupOptions {
  /** Prepended to every path of the group (go-zero's `rest.WithPrefix`), e.g. `/api`. */
  prefix?: string;
}

interface RouteEntry {
  readonly info: RouteInfo;
  readonly endpoint: Dispatch;
  dispatch: Dispatch;
}

const EMPTY: Record<string, unknown> = Object.freeze({}) as Record<string, unknown>;
const DEFAULT_STOP_TIMEOUT = 5500; // go-zero's graceful shutdown wait
const STOP_SWEEP_INTERVAL = 25;

/**
 * An HTTP server in go-zero's shape: routes with zod-validated requests, a config-driven
 * middleware chain (tracing first), graceful stop. Matches src/service's `Server` contract.
 *
 * @example
 *   const server = new RestServer({ Name: 'order-api', Port: 8888 });
 *   server.addRoute({
 *     method: 'GET',
 *     path: '/api/order/:id',
 *     request: { params: z.object({ id: z.coerce.number().int() }) },
 *     handler: ({ params }) => ({ id: params.id }),
 *   });
 *   await server.start();
 */
export class RestServer {
  readonly conf: RestConf;
  private readonly router = FindMyWay({ caseSensitive: true });
  private readonly entries: RouteEntry[] = [];
  private readonly methods = new Set<string>();
  private readonly userMiddlewares: Middleware[] = [];
  private readonly report: ErrorReporter;
  private readonly stopTimeout: number;
  private builtins: Middleware[] | undefined;
  private readonly miss: RouteEntry;
  private server: Server | undefined;
  private stopping: Promise<void> | undefined;
  /** The routes as added (prefix applied), for the OpenAPI document. */
  private readonly described: OpenApiRoute[] = [];
  private documentText: string | undefined;

  constructor(conf: RestConfInput, options: RestServerOptions = {}) {
    this.conf = RestConfSchema.parse(conf);
    this.report = options.onError ?? logRequestError;
    this.stopTimeout = options.stopTimeout ?? DEFAULT_STOP_TIMEOUT;
    this.miss = this.newEntry({ method: undefined, path: undefined, timeout: undefined }, this.unmatched);
    setUp(this.conf);
  }

  /** Adds one route; its handler's context is typed from `request`'s schemas. */
  addRoute<S extends RequestSchemas = {}>(route: Route<S>): this {
    return this.add(route as unknown as AnyRoute, '');
  }

  /** Adds a table of routes (declare them with `defineRoute` to keep their handler types). */
  addRoutes(routes: readonly AnyRoute[], options: RouteGroupOptions = {}): this {
    for (const route of routes) this.add(route, options.prefix ?? '');
    return this;
  }

  /** Appends a middleware; user middleware run inside the built-in ones, in the order added. */
  use(middleware: Middleware): this {
    this.userMiddlewares.push(middleware);
    if (this.builtins !== undefined) this.rebuild();
    return this;
  }

  /**
   * The OpenAPI 3.1 document of the routes added so far (src/rest/openapi), titled with
   * `OpenApi.Title` or the service `Name`; what `OpenApi.Path` serves.
   */
  openApi(): OpenApiDocument {
    const { OpenApi, Name, Timeout, MaxConns, MaxBytes, Middlewares } = this.conf;
    return openApiDocument(this.described, {
      title: OpenApi?.Title ?? Name,
      version: OpenApi?.Version,
      description: OpenApi?.Description,
      limits: {
        timeout: Middlewares.Timeout ? Timeout : 0,
        maxConns: Middlewares.MaxConns ? MaxConns : 0,
        maxBytes: Middlewares.MaxBytes ? MaxBytes : 0,
      },
    });
  }

  /**
   * Listens on `Host:Port`; resolves once the port is bound. A bind failure rejects with
   * `SERVICE_ERR_LISTEN`, naming the address, the key to change and why.
   */
  async start(): Promise<void> {
    if (this.server !== undefined) throw new Error(`rest server ${this.conf.Name} is already started`);
    this.builtins = builtinMiddlewares(this.conf, this.report);
    this.rebuild();
    if (this.conf.OpenApi !== undefined) this.serveOpenApi(this.conf.OpenApi.Path);
    this.router.compile();
    const server = createHttpServer(this.handle);
    this.server = server;
    await new Promise<void>((resolve, reject) => {
      const fail = (err: Error) => {
        this.server = undefined;
        reject(listenError(err, `${this.conf.Host}:${this.conf.Port}`, { host: 'Host', port: 'Port' }));
      };
      server.once('error', fail);
      server.listen(this.conf.Port, this.conf.Host, () => {
        server.off('error', fail);
        resolve();
      });
    });
  }

  /**
   * Stops accepting connections, lets in-flight requests finish, then resolves. Connections
   * still busy after `stopTimeout` are closed. Safe to call twice or before `start()`.
   */
  stop(): Promise<void> {
    const server = this.server;
    if (server === undefined) return Promise.resolve();
    this.stopping ??= new Promise<void>((resolve) => {
      const force = setTimeout(() => server.closeAllConnections(), this.stopTimeout);
      // close() drops idle keep-alive connections only once; a connection whose request
      // finishes later turns idle afterwards and would hold close() open until the client
      // gives up on it, so keep sweeping while in-flight requests drain.
      const sweep = setInterval(() => server.closeIdleConnections(), STOP_SWEEP_INTERVAL);
      force.unref();
      sweep.unref();
      server.close(() => {
        clearTimeout(force);
        clearInterval(sweep);
        resolve();
      });
    });
    return this.stopping;
  }

  /** The bound address, or null before `start()`. */
  address(): AddressInfo | null {
    const address = this.server?.address();
    return typeof address === 'object' && address !== null ? address : null;
  }

  /** The bound port (the real one when `Port` is 0); 0 before `start()`. */
  get port(): number {
    return this.address()?.port ?? 0;
  }

  private add(route: AnyRoute, prefix: string): this {
    const path = prefix + route.path;
    this.register(route, path);
    const { method, request, response, timeout, openapi } = route;
    this.described.push({ method, path, request, response, timeout, openapi });
    this.documentText = undefined;
    return this;
  }

  private register(route: AnyRoute, path: string): void {
    const methods: readonly HttpMethod[] = typeof route.method === 'string' ? [route.method] : route.method;
    const endpoint = routeEndpoint(route);
    for (const method of methods) {
      const entry = this.newEntry({ method, path, timeout: route.timeout }, endpoint);
      this.router.on(method, path, unusedHandler, entry);
      this.methods.add(method);
    }
  }

  /**
   * `GET path` answers with the document, through the middleware chain like any route (so it is
   * traced and logged) but left out of the document itself. Built here once so a schema zod
   * cannot convert fails `start()`, not the first request; rebuilt if routes are added later.
   */
  private serveOpenApi(path: string): void {
    if (this.router.hasRoute('GET', path)) {
      throw new Error(`rest server ${this.conf.Name}: OpenApi.Path ${path} is already a route; choose another path for the document`);
    }
    this.documentText = JSON.stringify(this.openApi());
    this.register(
      {
        method: 'GET',
        path,
        handler: ({ res }: RequestContext) => {
          this.documentText ??= JSON.stringify(this.openApi());
          res.statusCode = 200;
          res.setHeader('content-type', 'application/json; charset=utf-8');
          res.setHeader('content-length', Buffer.byteLength(this.documentText));
          res.end(this.documentText);
        },
      },
      path,
    );
  }

  private newEntry(info: RouteInfo, endpoint: Dispatch): RouteEntry {
    const entry: RouteEntry = { info, endpoint, dispatch: endpoint };
    if (this.builtins !== undefined) this.compose(entry);
    this.entries.push(entry);
    return entry;
  }

  private rebuild(): void {
    for (const entry of this.entries) this.compose(entry);
  }

  private compose(entry: RouteEntry): void {
    const middlewares = [...(this.builtins ?? []), ...this.userMiddlewares];
    entry.dispatch = composeChain(middlewares, entry.endpoint, entry.info, this.report);
  }

  private readonly handle = (req: IncomingMessage, res: ServerResponse): void => {
    const url = req.url ?? '/';
    const query = url.indexOf('?');
    const path = query === -1 ? url : url.slice(0, query);
    let found: ReturnType<typeof this.router.find> = null;
    try {
      found = this.router.find((req.method ?? 'GET') as HTTPMethod, url);
    } catch {
      // An undecodable URL matches nothing: it gets the (traced) 404.
    }
    // Draining: in-flight requests finish, but a request still arriving on a kept-alive
    // connection is refused at once (503, connection closed) rather than started.
    if (this.stopping !== undefined) {
      refuseWhileStopping(res);
      return;
    }
    const entry = found === null ? this.miss : (found.store as RouteEntry);
    const ctx = found === null
      ? new RequestContext(req, res, path, entry.info, EMPTY, EMPTY)
      : new RequestContext(req, res, path, entry.info, found.params, found.searchParams);
    void entry.dispatch(ctx);
  };

  /** The fallback endpoint: 405 with `Allow` when another method owns the path, else 404. */
  private readonly unmatched: Dispatch = async (ctx) => {
    const allow: string[] = [];
    for (const method of this.methods) {
      if (method !== ctx.req.method && this.router.find(method as HTTPMethod, ctx.path) !== null) allow.push(method);
    }
    if (allow.length > 0) {
      throw new HttpError(405, `method ${ctx.req.method} is not allowed on ${ctx.path}`, {
        code: REST_ERROR_CODES.METHOD_NOT_ALLOWED,
        headers: { allow: allow.join(', ') },
      });
    }
    throw new HttpError(404, `no route for ${ctx.req.method} ${ctx.path}`, { code: REST_ERROR_CODES.NOT_FOUND });
  };
}

/**
 * Builds a RestServer (go-zero's `rest.MustNewServer`).
 *
 * @example
 *   const server = createServer({ Name: 'order-api', Host: '127.0.0.1', Port: 0 });
 */
export function createServer(conf: RestConfInput, options?: RestServerOptions): RestServer {
  return new RestServer(conf, options);
}

const STOPPING_BODY = JSON.stringify({ code: 'REST_ERR_HTTP_503', message: 'server is shutting down' });

function refuseWhileStopping(res: ServerResponse): void {
  res.shouldKeepAlive = false;
  res.writeHead(503, { 'content-type': 'application/json', connection: 'close', 'content-length': Buffer.byteLength(STOPPING_BODY) });
  res.end(STOPPING_BODY);
}

function unusedHandler(): void {
  // find-my-way requires a handler; requests are dispatched through the route's store instead.
}
