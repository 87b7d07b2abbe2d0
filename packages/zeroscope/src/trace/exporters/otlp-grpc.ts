import { Metadata } from '@grpc/grpc-js';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-grpc';
import { endpointUrl } from '../endpoint.ts';
import type { ExporterFactory } from './types.ts';

/**
 * `Batcher: otlpgrpc` — OTLP over gRPC to `Endpoint` (`host:port`, plaintext unless
 * `OtlpHttpSecure`, or an http(s) URL); `OtlpHeaders` become call metadata.
 */
export const otlpGrpcExporter: ExporterFactory = (conf, settings) => {
  const url = endpointUrl(conf.Endpoint, { secure: conf.OtlpHttpSecure, batcher: conf.Batcher });
  const metadata = new Metadata();
  for (const [key, value] of Object.entries(conf.OtlpHeaders)) metadata.set(key, value);
  // The gRPC exporter takes only scheme://host:port; an http:// URL means plaintext (insecure credentials).
  const target = `${url.protocol}//${url.host}`;
  return { exporter: new OTLPTraceExporter({ url: target, metadata, timeoutMillis: settings.timeoutMs }), target };
};
