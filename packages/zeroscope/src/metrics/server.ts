import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Registry } from 'prom-client';
import type { PrometheusConf } from './config.ts';
import { MetricsError } from './errors.ts';
import { OPENMETRICS_CONTENT_TYPE, PROMETHEUS_CONTENT_TYPE, renderMetrics, wantsOpenMetrics } from './render.ts';

/** A running metrics endpoint. */
export interface MetricsServer {
  /** Resolves with the bound address; rejects with MetricsError `METRICS_ERR_LISTEN`. */
  readonly ready: Promise<AddressInfo>;
  /** Stops listening and closes open connections. Safe to call twice. */
  close(): Promise<void>;
}

/**
 * Serves `registry` on `Host:Port` + `Path` (go-zero's prometheus agent): Prometheus text by
 * default, OpenMetrics with exemplars when the Accept header asks for it. Anything else is 404.
 * The listener does not keep the process alive on its own: the services do.
 *
 * @example
 *   const server = startMetricsServer(PrometheusSchema.parse({ Port: 9101 }), registry);
 *   await server.ready;
 */
export function startMetricsServer(conf: PrometheusConf, registry: Registry): MetricsServer {
  const server: Server = createServer((req, res) => void serve(req, res, conf.Path, registry));
  const ready = new Promise<AddressInfo>((resolve, reject) => {
    server.once('error', (err) =>
      reject(new MetricsError('METRICS_ERR_LISTEN', `metrics server cannot listen on ${conf.Host}:${conf.Port}: ${err.message}`, { cause: err })),
    );
    server.listen(conf.Port, conf.Host, () => resolve(server.address() as AddressInfo));
  });
  server.unref();
  let closing: Promise<void> | undefined;
  return {
    ready,
    close() {
      closing ??= new Promise<void>((resolve) => {
        if (!server.listening) return resolve();
        server.close(() => resolve());
        server.closeAllConnections();
      });
      return closing;
    },
  };
}

async function serve(req: IncomingMessage, res: ServerResponse, path: string, registry: Registry): Promise<void> {
  const url = req.url ?? '/';
  const query = url.indexOf('?');
  if ((query === -1 ? url : url.slice(0, query)) !== path || (req.method !== 'GET' && req.method !== 'HEAD')) {
    res.statusCode = 404;
    res.end('not found\n');
    return;
  }
  const openMetrics = wantsOpenMetrics(req.headers.accept);
  try {
    const body = await renderMetrics(registry, openMetrics);
    res.statusCode = 200;
    res.setHeader('content-type', openMetrics ? OPENMETRICS_CONTENT_TYPE : PROMETHEUS_CONTENT_TYPE);
    res.end(req.method === 'HEAD' ? undefined : body);
  } catch (err) {
    res.statusCode = 500;
    res.end(`metrics: ${err instanceof Error ? err.message : String(err)}\n`);
  }
}
