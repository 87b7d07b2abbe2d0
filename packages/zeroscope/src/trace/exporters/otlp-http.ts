import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { endpointUrl } from '../endpoint.ts';
import { BackoffGate, retryAfterAgentFactory } from '../retry-after.ts';
import type { ExporterFactory } from './types.ts';

/**
 * `Batcher: otlphttp` — OTLP/HTTP with protobuf bodies. `Endpoint` is `host:port` (path from
 * `OtlpHttpPath`, https when `OtlpHttpSecure`) or a full URL; `OtlpHeaders` become request headers.
 * The official exporter retries 429/502/503/504 and network errors with back-off, honouring
 * `Retry-After` within one batch's timeout; its agent also feeds a gate so that a longer
 * `Retry-After` holds the following batches too.
 */
export const otlpHttpExporter: ExporterFactory = (conf, settings) => {
  const url = endpointUrl(conf.Endpoint, { defaultPath: conf.OtlpHttpPath, secure: conf.OtlpHttpSecure, batcher: conf.Batcher });
  const gate = new BackoffGate();
  const exporter = new OTLPTraceExporter({
    url: url.href,
    headers: { ...conf.OtlpHeaders },
    timeoutMillis: settings.timeoutMs,
    httpAgentOptions: retryAfterAgentFactory(gate),
  });
  return { exporter, target: url.href, gate };
};
