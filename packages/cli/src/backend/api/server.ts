/**
 * The query API server: Tempo's routes on one node:http server, plus the web UI's files, and on
 * the same port Tempo's gRPC streaming API (grpc/). The route table below is the only place that
 * says which handler answers which path.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import FindMyWay from 'find-my-way';
import { hostChecker, hostRefusal, queryAuth } from '../guard/index.ts';
import { createStreamingQuerier, routeHttp2Connections, type StreamingQuerierOptions, type TraceqlMetrics } from './grpc/index.ts';
import { HostNotAllowedError, ListenError, MethodNotAllowedError, RouteNotFoundError, UnauthorizedError } from './errors.ts';
import {
  PATH_API_FALLBACK,
  PATH_BUILD_INFO,
  PATH_LOG_SEARCH,
  PATH_METRICS,
  PATH_METRICS_QUERY_INSTANT,
  PATH_METRICS_QUERY_RANGE,
  PATH_SERVICE_GRAPH,
  PATH_RED,
  PATH_TRACE_LOGS,
  PATH_ECHO,
  PATH_READY,
  PATH_SEARCH,
  PATH_SEARCH_TAG_VALUES,
  PATH_SEARCH_TAG_VALUES_V2,
  PATH_SEARCH_TAGS,
  PATH_SEARCH_TAGS_V2,
  PATH_TRACES,
  PATH_TRACES_V2,
  PATH_UI,
} from './paths.ts';
import { CORS_PREFLIGHT_HEADERS, corsHeaders, send, sendError, sendUnauthorized } from './respond.ts';
import { DEFAULT_QUERY_BUDGET, budgetedFetcher, withQueryBudget, type QueryBudget } from './query-budget.ts';
import { logSearchHandler, traceLogsHandler, type LogReader } from './logs.ts';
import { metricsHandler, type MetricsSource } from './metrics.ts';
import { metricsQueryInstantHandler, metricsQueryRangeHandler, traceqlMetricsApi } from './metrics-query.ts';
import { redHandler } from './red.ts';
import { serviceGraphHandler, type ServiceGraphSource } from './service-graph.ts';
import type { RouteHandler } from './route.ts';
import { searchHandler } from './search.ts';
import { searchTagsHandler, searchTagsV2Handler, tagValuesHandler, tagValuesV2Handler } from './search-tags.ts';
import { staticUiHandler } from './static-ui.ts';
import { buildInfoHandler, echoHandler, readyHandler } from './status.ts';
import { traceByIdV1Handler, traceByIdV2Handler } from './trace-by-id.ts';
import type { MetricsQueryEngine, QueryApiDeps } from './types.ts';

/** Options of the query API server. */
export interface QueryApiOptions extends QueryApiDeps {
  /** Interface to bind; default 127.0.0.1. */
  host?: string;
  /** Port; default 3200, 0 picks a free one. */
  port?: number;
  /** Folder of the built UI; default `dist/ui` in the repository. */
  uiDir?: string;
  /** Origins allowed to call the API from a browser; none by default. `*` allows any. */
  corsOrigins?: readonly string[];
  /**
   * When set, every route but `/ready` needs this token: `Authorization: Bearer`,
   * `x-zeroscope-token`, the UI's cookie, or `?token=` (which logs a browser in; see guard/query-auth.ts).
   */
  authToken?: string;
  /**
   * Extra `Host` names answered while bound to loopback (besides localhost, IP addresses and the
   * bound host), or `true` for any; see guard/host-check.ts.
   */
  allowedHosts?: readonly string[] | true;
  /** The log store, for `/api/logs/search` and `/api/traces/<id>/logs`; without it those 404. */
  logs?: LogReader;
  /** The metrics-generator, for `/metrics`; without it that path is the UI's. */
  metrics?: MetricsSource;
  /** TraceQL metrics, for `/api/metrics/query_range` and `/api/metrics/query`; without it those 404. */
  metricsEngine?: MetricsQueryEngine;
  /** Streamed search's pacing and scan budget (see grpc/search-stream.ts). */
  streamingSearch?: StreamingQuerierOptions['search'];
  /** Each request's query budget; default DEFAULT_QUERY_BUDGET (see query-budget.ts). */
  queryBudget?: QueryBudget;
  /** The metrics-generator's service graph over a range, for `/api/service-graph`; without it that 404s. */
  serviceGraph?: ServiceGraphSource;
  /** Consulted by `/ready`; default always ready. */
  isReady?: () => boolean;
  /** Unexpected handler errors (answered with 500) are reported here; default console.error. */
  onError?: (err: unknown) => void;
}

/** A running (or startable) query API. */
export interface QueryApi {
  start(): Promise<void>;
  /** Stops accepting, closes open connections (HTTP and gRPC); safe to call twice. */
  stop(): Promise<void>;
  /** The bound port (after start). */
  readonly port: number;
  /** The request listener, for embedding in another server. */
  readonly handle: (req: IncomingMessage, res: ServerResponse) => void;
}

/** zeroscope's optional routes, present when their source is given (else they 404). */
const extensionRoutes = {
  logs: (logs: LogReader): Array<[string, RouteHandler]> => [
    [PATH_LOG_SEARCH, logSearchHandler(logs)],
    [PATH_TRACE_LOGS, traceLogsHandler(logs)],
  ],
  metrics: (source: MetricsSource): Array<[string, RouteHandler]> => [[PATH_METRICS, metricsHandler(source)]],
  traceqlMetrics: (metrics: TraceqlMetrics): Array<[string, RouteHandler]> => [
    [PATH_METRICS_QUERY_RANGE, metricsQueryRangeHandler(metrics)],
    [PATH_METRICS_QUERY_INSTANT, metricsQueryInstantHandler(metrics)],
  ],
  serviceGraph: (source: ServiceGraphSource): Array<[string, RouteHandler]> => [[PATH_SERVICE_GRAPH, serviceGraphHandler(source)]],
};

/** The route table: every route, its handler. */
function routes(options: QueryApiOptions, traceqlMetrics: TraceqlMetrics | undefined): Array<[string, RouteHandler]> {
  const tagDeps = { catalog: options.catalog, fetcher: options.fetcher, engine: options.engine };
  const apiNotFound: RouteHandler = (ctx) => {
    throw new RouteNotFoundError((ctx.req.url ?? '').split('?')[0]!);
  };
  return [
    [PATH_TRACES, traceByIdV1Handler(options.traces)],
    [PATH_TRACES_V2, traceByIdV2Handler(options.traces)],
    [PATH_SEARCH, searchHandler(options.fetcher, options.engine)],
    [PATH_SEARCH_TAGS, searchTagsHandler(tagDeps)],
    [PATH_SEARCH_TAGS_V2, searchTagsV2Handler(tagDeps)],
    [PATH_SEARCH_TAG_VALUES, tagValuesHandler(tagDeps)],
    [PATH_SEARCH_TAG_VALUES_V2, tagValuesV2Handler(tagDeps)],
    [PATH_ECHO, echoHandler],
    [PATH_READY, readyHandler(options.isReady ?? (() => true))],
    [PATH_BUILD_INFO, buildInfoHandler],
    [PATH_RED, redHandler(options.fetcher)],
    ...(options.logs ? extensionRoutes.logs(options.logs) : []),
    ...(options.metrics ? extensionRoutes.metrics(options.metrics) : []),
    ...(traceqlMetrics ? extensionRoutes.traceqlMetrics(traceqlMetrics) : []),
    ...(options.serviceGraph ? extensionRoutes.serviceGraph(options.serviceGraph) : []),
    [PATH_API_FALLBACK, apiNotFound],
    [PATH_UI, staticUiHandler(options.uiDir)],
  ];
}

/**
 * Builds the query API server (not yet listening).
 * @example
 * const api = createQueryApi({ traces: store, fetcher: store, catalog: store, engine, port: 0 });
 * await api.start();
 */
export function createQueryApi(options: QueryApiOptions): QueryApi {
  const router = FindMyWay({ ignoreTrailingSlash: true, ignoreDuplicateSlashes: true });
  // Every route's trace scans are held to the request's budget (see query-budget.ts).
  const budgeted = budgetedFetcher(options.fetcher);
  // One metrics front for both transports: HTTP routes and the gRPC streaming API.
  const traceqlMetrics = options.metricsEngine ? traceqlMetricsApi(budgeted, options.metricsEngine) : undefined;
  for (const [path, handler] of routes({ ...options, fetcher: budgeted }, traceqlMetrics)) router.on(['GET', 'HEAD'], path, handler as never);
  const corsOrigins = options.corsOrigins ?? [];
  const onError = options.onError ?? ((err: unknown) => console.error('zeroscope query API:', err));
  const authorize = options.authToken === undefined ? undefined : queryAuth(options.authToken);
  const hostAllowed = hostChecker({ bindHost: options.host ?? '127.0.0.1', ...(options.allowedHosts ? { allowedHosts: options.allowedHosts } : {}) });

  function handle(req: IncomingMessage, res: ServerResponse): void {
    // First of all: a rebinding page must learn nothing, not even whether a route exists.
    if (hostAllowed && !hostAllowed(req.headers.host)) return sendError(req, res, new HostNotAllowedError(hostRefusal(req.headers.host)));
    const cors = corsHeaders(req, corsOrigins);
    for (const [name, value] of Object.entries(cors)) res.setHeader(name, value);
    const url = req.url ?? '/';
    const method = req.method ?? 'GET';
    // Browsers send preflights without credentials, so they are answered before the token check.
    if (method === 'OPTIONS' && Object.keys(cors).length > 0) return send(req, res, 204, '', CORS_PREFLIGHT_HEADERS);
    const verdict = authorize?.(req);
    if (verdict?.kind === 'deny') return sendUnauthorized(req, res, new UnauthorizedError());
    if (verdict?.kind === 'login') {
      return send(req, res, 303, '', { location: verdict.location, 'set-cookie': verdict.cookie, 'cache-control': 'no-store' });
    }
    const found = method === 'GET' || method === 'HEAD' ? router.find(method, url) : null;
    const run = async () => {
      if (method !== 'GET' && method !== 'HEAD') {
        res.setHeader('allow', 'GET, HEAD');
        throw new MethodNotAllowedError(method);
      }
      // Only a URL find-my-way cannot decode gets here without a match (`/*` catches the rest).
      if (!found) throw new RouteNotFoundError(url.split('?')[0]!);
      const query = new URLSearchParams(url.includes('?') ? url.slice(url.indexOf('?') + 1) : '');
      await (found.handler as unknown as RouteHandler)({ req, res, params: found.params, query });
    };
    withQueryBudget(req, res, options.queryBudget ?? DEFAULT_QUERY_BUDGET, run).catch((err: unknown) => {
      if (!(err instanceof Error && 'status' in err)) onError(err);
      sendError(req, res, err);
    });
  }

  let server: Server | undefined;
  let closeStreaming = () => {};
  let port = 0;
  let stopped: Promise<void> | undefined;
  const host = options.host ?? '127.0.0.1';
  const wantedPort = options.port ?? 3200;

  return {
    get port() {
      return port;
    },
    handle,
    async start() {
      const s = createServer(handle);
      server = s;
      // gRPC clients (Grafana's streaming search) dial the same URL as HTTP, as with Tempo.
      const streaming = createStreamingQuerier({
        fetcher: options.fetcher,
        catalog: options.catalog,
        engine: options.engine,
        onError,
        ...(options.authToken !== undefined ? { authToken: options.authToken } : {}),
        ...(traceqlMetrics ? { traceqlMetrics } : {}),
        ...(options.streamingSearch ? { search: options.streamingSearch } : {}),
      });
      const router = routeHttp2Connections(s, (socket) => streaming.injectConnection(socket));
      closeStreaming = () => {
        router.closePending();
        streaming.stop();
      };
      await new Promise<void>((resolveStart, rejectStart) => {
        s.once('error', (err) => rejectStart(new ListenError(`${host}:${wantedPort}`, { cause: err })));
        s.listen(wantedPort, host, () => resolveStart());
      });
      port = (s.address() as AddressInfo).port;
    },
    stop() {
      stopped ??= new Promise<void>((resolveStop) => {
        closeStreaming();
        if (!server?.listening) return resolveStop();
        server.close(() => resolveStop());
        server.closeAllConnections();
      });
      return stopped;
    },
  };
}
