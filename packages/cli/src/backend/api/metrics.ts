/** `GET /metrics`: the metrics-generator's Prometheus text (Tempo's metric names), for scraping. */
import { send } from './respond.ts';
import type { RouteHandler } from './route.ts';

/** Where the metrics text comes from (the metrics-generator). */
export interface MetricsSource {
  metrics(): Promise<string>;
  /** e.g. `text/plain; version=0.0.4; charset=utf-8`. */
  readonly contentType: string;
}

/** Handler for `GET /metrics`. */
export function metricsHandler(source: MetricsSource): RouteHandler {
  return async function metrics(ctx) {
    send(ctx.req, ctx.res, 200, await source.metrics(), { 'content-type': source.contentType, 'cache-control': 'no-store' });
  };
}
