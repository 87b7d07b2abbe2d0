import { TraceError } from '../errors.ts';
import { legacyJaegerEndpoint } from './jaeger-legacy.ts';
import { otlpHttpExporter } from './otlp-http.ts';
import type { ExporterFactory } from './types.ts';

/**
 * `Batcher: jaeger` — Jaeger (v1.35+ and v2) receives OTLP natively, and the Jaeger exporters
 * were retired from OpenTelemetry, so this sends OTLP/HTTP protobuf to `Endpoint` exactly as
 * `otlphttp` does (`host:4318`, path `OtlpHttpPath`). The legacy collector URL
 * (`http://host:14268/api/traces`) and agent ports are refused with a pointer to the OTLP port,
 * rather than failing later with an opaque HTTP error on every export.
 */
export const jaegerExporter: ExporterFactory = (conf, settings) => {
  const legacy = legacyJaegerEndpoint(conf);
  if (legacy) throw new TraceError('TRACE_ERR_BAD_ENDPOINT', `Telemetry.Endpoint ${legacy}`);
  return otlpHttpExporter(conf, settings);
};
