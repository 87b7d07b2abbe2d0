import { OTLPTraceExporter as JsonTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { OTLPTraceExporter as ProtoTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { CompressionAlgorithm } from '@opentelemetry/otlp-exporter-base';
import { endpointUrl } from '../endpoint.ts';
import { BackoffGate, retryAfterAgentFactory } from '../retry-after.ts';
import { readTlsFiles } from '../tls.ts';
import type { ExporterFactory } from './types.ts';

/**
 * `Batcher: otlphttp` — OTLP/HTTP with protobuf bodies (JSON when `OtlpHttpEncoding: json`, the
 * spec's `http/json`). `Endpoint` is `host:port` (path from `OtlpHttpPath`, https when
 * `OtlpHttpSecure`) or a full URL; `OtlpHeaders` become request headers; `OtlpCompression: gzip`
 * compresses bodies; the TLS files apply to an https endpoint. The official exporter retries
 * 429/502/503/504 and network errors with back-off, honouring `Retry-After` within one batch's
 * timeout; its agent also feeds a gate so that a longer `Retry-After` holds the following batches too.
 */
export const otlpHttpExporter: ExporterFactory = (conf, settings) => {
  const url = endpointUrl(conf.Endpoint, { defaultPath: conf.OtlpHttpPath, secure: conf.OtlpHttpSecure, batcher: conf.Batcher });
  const gate = new BackoffGate();
  const Exporter = conf.OtlpHttpEncoding === 'json' ? JsonTraceExporter : ProtoTraceExporter;
  const exporter = new Exporter({
    url: url.href,
    headers: { ...conf.OtlpHeaders },
    timeoutMillis: settings.timeoutMs,
    compression: conf.OtlpCompression === 'gzip' ? CompressionAlgorithm.GZIP : CompressionAlgorithm.NONE,
    httpAgentOptions: retryAfterAgentFactory(gate, readTlsFiles(conf)),
  });
  return { exporter, target: url.href, gate };
};
