import type * as Grpc from '@grpc/grpc-js';
import type * as OtlpGrpc from '@opentelemetry/exporter-trace-otlp-grpc';
import type * as ExporterBase from '@opentelemetry/otlp-exporter-base';
import { loadOnUse } from '../../internal/load-on-use.ts';
import { endpointUrl } from '../endpoint.ts';
import { hasTls, readTlsFiles } from '../tls.ts';
import type { ExporterFactory } from './types.ts';

/**
 * `Batcher: otlpgrpc` — OTLP over gRPC to `Endpoint` (`host:port`, plaintext unless
 * `OtlpHttpSecure`, or an http(s) URL); `OtlpHeaders` become call metadata, `OtlpCompression: gzip`
 * compresses messages, and the TLS files (a CA, a client certificate for mutual TLS) make the
 * channel TLS whatever the scheme says, as the specification's certificate variables do.
 */
export const otlpGrpcExporter: ExporterFactory = (conf, settings) => {
  const url = endpointUrl(conf.Endpoint, { secure: conf.OtlpHttpSecure, batcher: conf.Batcher });
  const { credentials, Metadata } = loadOnUse('@grpc/grpc-js') as typeof Grpc;
  const { OTLPTraceExporter } = loadOnUse('@opentelemetry/exporter-trace-otlp-grpc') as typeof OtlpGrpc;
  const { CompressionAlgorithm } = loadOnUse('@opentelemetry/otlp-exporter-base') as typeof ExporterBase;
  const metadata = new Metadata();
  for (const [key, value] of Object.entries(conf.OtlpHeaders)) metadata.set(key, value);
  const tls = readTlsFiles(conf);
  const secure = url.protocol === 'https:' || hasTls(tls);
  // The gRPC exporter takes only scheme://host:port; the credentials say plaintext or TLS.
  const target = `${secure ? 'https:' : 'http:'}//${url.host}`;
  const exporter = new OTLPTraceExporter({
    url: target,
    metadata,
    timeoutMillis: settings.timeoutMs,
    compression: conf.OtlpCompression === 'gzip' ? CompressionAlgorithm.GZIP : CompressionAlgorithm.NONE,
    credentials: secure ? credentials.createSsl(tls.ca ?? null, tls.key ?? null, tls.cert ?? null) : credentials.createInsecure(),
  });
  return { exporter, target };
};
