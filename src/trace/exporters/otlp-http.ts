import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { endpointUrl } from '../endpoint.ts';
import type { ExporterFactory } from './types.ts';

/**
 * `Batcher: otlphttp` — OTLP/HTTP with protobuf bodies. `Endpoint` is `host:port` (path from
 * `OtlpHttpPath`, https when `OtlpHttpSecure`) or a full URL; `OtlpHeaders` become request headers.
 */
export const otlpHttpExporter: ExporterFactory = (conf) => {
  const url = endpointUrl(conf.Endpoint, { defaultPath: conf.OtlpHttpPath, secure: conf.OtlpHttpSecure, batcher: conf.Batcher });
  return { exporter: new OTLPTraceExporter({ url: url.href, headers: { ...conf.OtlpHeaders } }), target: url.href };
};
