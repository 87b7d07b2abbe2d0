import type { Batcher } from '../config.ts';
import { TraceError } from '../errors.ts';
import { consoleExporter } from './console.ts';
import { fileExporter } from './file.ts';
import { jaegerExporter } from './jaeger.ts';
import { otlpGrpcExporter } from './otlp-grpc.ts';
import { otlpHttpExporter } from './otlp-http.ts';
import type { BuiltExporter, ExporterConf, ExporterFactory, ExporterSettings } from './types.ts';
import { zipkinExporter } from './zipkin.ts';

/** The OTLP default export timeout. */
const DEFAULT_TIMEOUT_MS = 10_000;

/** The one place a `Batcher` name picks an exporter (go-zero's switch in createExporter). */
const EXPORTERS: Record<Batcher, ExporterFactory> = {
  otlphttp: otlpHttpExporter,
  otlpgrpc: otlpGrpcExporter,
  zipkin: zipkinExporter,
  jaeger: jaegerExporter,
  file: fileExporter,
  console: consoleExporter,
};

/** The Batchers that need no `Endpoint` (everything else exports nothing without one). */
const ENDPOINTLESS: ReadonlySet<string> = new Set<Batcher>(['console']);

/** True when `batcher` exports only to an `Endpoint`. */
export function needsEndpoint(batcher: string): boolean {
  return !ENDPOINTLESS.has(batcher);
}

/** The Batcher names with an exporter. */
export function exporterNames(): string[] {
  return Object.keys(EXPORTERS);
}

/**
 * Builds the exporter `conf.Batcher` names. Throws `TRACE_ERR_UNKNOWN_EXPORTER` for a name outside
 * the registry (reachable when the config did not go through the schema) and
 * `TRACE_ERR_BAD_ENDPOINT` for an endpoint the exporter cannot use.
 */
export function createExporter(conf: ExporterConf, settings: ExporterSettings = { timeoutMs: DEFAULT_TIMEOUT_MS }): BuiltExporter {
  const factory = Object.hasOwn(EXPORTERS, conf.Batcher) ? EXPORTERS[conf.Batcher] : undefined;
  if (!factory) {
    throw new TraceError(
      'TRACE_ERR_UNKNOWN_EXPORTER',
      `Telemetry.Batcher: unknown exporter "${String(conf.Batcher)}" (expected one of ${exporterNames().join('|')})`,
    );
  }
  return factory(conf, settings);
}
