/**
 * The backend's metrics-generator, Tempo's in one process: every stored trace export passes
 * through the service-graph and span-metrics processors, and `/metrics` on the query port
 * renders the result in the Prometheus text format, so a Prometheus scraping the backend feeds
 * Grafana's service graph and RED panels exactly as Tempo's remote-written metrics would.
 */
import type { ExportTraceServiceRequest } from '../otlp/index.ts';
import { resolveGeneratorOptions, type GeneratorOptions } from './config.ts';
import { ServiceGraphSeries, type ServiceGraphSnapshot } from './graph-series.ts';
import { createGeneratorMetrics } from './metrics.ts';
import { ServiceGraphProcessor } from './service-graphs.ts';
import { SpanMetricsProcessor } from './span-metrics.ts';

/** A running metrics-generator. */
export interface MetricsGenerator {
  /** Feeds one export (after it is stored). Never throws into the caller's request. */
  push(request: ExportTraceServiceRequest): void;
  /**
   * Reads what the metrics need from an export now and returns the step that counts it, to be
   * called once the export is stored: the same as `push` then, but the caller need not keep the
   * decoded request (and the request body it points into) alive while the store commits.
   * Neither step throws into the caller's request.
   */
  read(request: ExportTraceServiceRequest): () => void;
  /** The metrics in the Prometheus text exposition format. */
  metrics(): Promise<string>;
  /** Content-Type of {@link metrics}' text. */
  readonly contentType: string;
  /** Nodes and edges with their requests over [startMs, endMs) (graph-series.ts). */
  serviceGraph(startMs: number, endMs: number): ServiceGraphSnapshot;
  /** Edges waiting for their other half (for tests and status). */
  pendingEdges(): number;
  /** Expires waiting edges now (the timer does it every few seconds). */
  expire(): void;
  /** Stops the expiry timer. Safe to call twice. */
  stop(): void;
}

/**
 * Creates a generator with Tempo's defaults.
 * @example
 * const generator = createMetricsGenerator();
 * generator.push(request);
 * res.end(await generator.metrics());
 */
export function createMetricsGenerator(options: GeneratorOptions = {}, onError: (err: unknown) => void = () => {}): MetricsGenerator {
  const resolved = resolveGeneratorOptions(options);
  const metrics = createGeneratorMetrics(resolved);
  const graphs = new ServiceGraphProcessor(metrics, resolved);
  const spanMetrics = new SpanMetricsProcessor(metrics, resolved);
  const graphSeries = new ServiceGraphSeries({ now: resolved.now });
  graphs.onRequest = (e) => graphSeries.recordEdge(e);
  const expire = (): void => {
    try {
      graphs.expire();
    } catch (err) {
      onError(err);
    }
  };
  const timer = resolved.expireIntervalMs > 0 ? setInterval(expire, resolved.expireIntervalMs) : undefined;
  timer?.unref();
  return {
    push(request) {
      try {
        graphs.consume(request);
        spanMetrics.consume(request);
        graphSeries.record(graphSeries.read(request));
      } catch (err) {
        // Metrics are a by-product: a surprise here must not fail an acknowledged export.
        onError(err);
      }
    },
    read(request) {
      try {
        const edges = graphs.read(request);
        const spans = spanMetrics.read(request);
        const answered = graphSeries.read(request);
        return function recordExport() {
          try {
            graphs.record(edges);
            spanMetrics.record(spans);
            graphSeries.record(answered);
          } catch (err) {
            onError(err);
          }
        };
      } catch (err) {
        onError(err);
        return () => {};
      }
    },
    metrics: async () => (await metrics.registry.metrics()) + (metrics.targetInfo?.render() ?? ''),
    contentType: metrics.registry.contentType,
    serviceGraph: (startMs, endMs) => graphSeries.snapshot(startMs, endMs),
    pendingEdges: () => graphs.store.size,
    expire,
    stop() {
      if (timer) clearInterval(timer);
    },
  };
}
