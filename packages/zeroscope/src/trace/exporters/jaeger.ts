import { TraceError } from '../errors.ts';
import { endpointUrl } from '../endpoint.ts';
import { otlpHttpExporter } from './otlp-http.ts';
import type { ExporterFactory } from './types.ts';

/** Jaeger's pre-OTLP ports: collector Thrift/HTTP, collector model gRPC, agent UDP. */
const LEGACY_PORTS: Record<string, string> = {
  '14268': 'the legacy Thrift collector',
  '14250': 'the legacy model.proto gRPC collector',
  '6831': 'the legacy agent (UDP)',
  '6832': 'the legacy agent (UDP)',
};

/**
 * `Batcher: jaeger` — Jaeger (v1.35+ and v2) receives OTLP natively, and the Jaeger exporters
 * were retired from OpenTelemetry, so this sends OTLP/HTTP protobuf to `Endpoint` exactly as
 * `otlphttp` does (`host:4318`, path `OtlpHttpPath`). The legacy collector URL
 * (`http://host:14268/api/traces`) and agent ports are refused with a pointer to the OTLP port,
 * rather than failing later with an opaque HTTP error on every export.
 */
export const jaegerExporter: ExporterFactory = (conf, settings) => {
  const url = endpointUrl(conf.Endpoint, { defaultPath: conf.OtlpHttpPath, secure: conf.OtlpHttpSecure, batcher: conf.Batcher });
  const legacy = url.pathname.replace(/\/+$/, '').endsWith('/api/traces') ? 'the legacy Thrift collector path /api/traces' : LEGACY_PORTS[url.port];
  if (legacy) {
    throw new TraceError(
      'TRACE_ERR_BAD_ENDPOINT',
      `Telemetry.Endpoint "${conf.Endpoint}" is ${legacy}; Batcher jaeger sends OTLP/HTTP, so point Endpoint at Jaeger's OTLP receiver (e.g. ${url.hostname}:4318)`,
    );
  }
  return otlpHttpExporter(conf, settings);
};
