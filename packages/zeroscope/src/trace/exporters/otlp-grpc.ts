import type * as Grpc from '@grpc/grpc-js';
import type * as OtlpGrpc from '@opentelemetry/exporter-trace-otlp-grpc';
import type * as ExporterBase from '@opentelemetry/otlp-exporter-base';
import type * as GrpcExporterBase from '@opentelemetry/otlp-grpc-exporter-base';
import type { OTLPGRPCExporterConfigNode } from '@opentelemetry/otlp-grpc-exporter-base';
import { loadOnUse } from '../../internal/load-on-use.ts';
import { endpointUrl } from '../endpoint.ts';
import { fastTraceSerializer, spanExportMetrics } from '../otlp/serializer.ts';
import { BackoffGate } from '../retry-after.ts';
import { hasTls, readTlsFiles } from '../tls.ts';
import { OtlpGrpcTransport } from './otlp-grpc-transport.ts';
import { retryingTransport } from './retrying-transport.ts';
import type { ExporterFactory, ReadableSpan, SpanExporter } from './types.ts';

/** The component type the official OTLP/gRPC span exporter reports in its self-observability metrics. */
const COMPONENT_TYPE = 'otlp_grpc_span_exporter';

/**
 * `Batcher: otlpgrpc` — OTLP over gRPC to `Endpoint` (`host:port`, plaintext unless
 * `OtlpHttpSecure`, or an http(s) URL); `OtlpHeaders` become call metadata, `OtlpCompression: gzip`
 * compresses messages, and the TLS files (a CA, a client certificate for mutual TLS) make the
 * channel TLS whatever the scheme says, as the specification's certificate variables do.
 * With `Pipeline: fast` (the default) requests are written by zeroscope's encoder and sent by
 * {@link OtlpGrpcTransport}, which retries what the specification calls retryable
 * (UNAVAILABLE while a collector restarts, RESOURCE_EXHAUSTED with RetryInfo, …) within the
 * export's timeout, a server's delay holding the following batches too; `Pipeline: sdk` uses the
 * official exporter unchanged, which (0.223) never retries.
 */
export const otlpGrpcExporter: ExporterFactory = (conf, settings) => {
  const url = endpointUrl(conf.Endpoint, { secure: conf.OtlpHttpSecure, batcher: conf.Batcher });
  const { credentials, Metadata } = loadOnUse('@grpc/grpc-js') as typeof Grpc;
  const { CompressionAlgorithm } = loadOnUse('@opentelemetry/otlp-exporter-base') as typeof ExporterBase;
  const metadata = new Metadata();
  for (const [key, value] of Object.entries(conf.OtlpHeaders)) metadata.set(key, value);
  const tls = readTlsFiles(conf);
  const secure = url.protocol === 'https:' || hasTls(tls);
  // The gRPC exporter takes only scheme://host:port; the credentials say plaintext or TLS.
  const target = `${secure ? 'https:' : 'http:'}//${url.host}`;
  const config: OTLPGRPCExporterConfigNode = {
    url: target,
    metadata,
    timeoutMillis: settings.timeoutMs,
    compression: conf.OtlpCompression === 'gzip' ? CompressionAlgorithm.GZIP : CompressionAlgorithm.NONE,
    credentials: secure ? credentials.createSsl(tls.ca ?? null, tls.key ?? null, tls.cert ?? null) : credentials.createInsecure(),
  };
  if (conf.Pipeline === 'sdk') {
    const { OTLPTraceExporter } = loadOnUse('@opentelemetry/exporter-trace-otlp-grpc') as typeof OtlpGrpc;
    return { exporter: new OTLPTraceExporter(config), target };
  }
  const gate = new BackoffGate();
  return { exporter: fastGrpcExporter(config, gate), target, gate };
};

/**
 * What `@opentelemetry/exporter-trace-otlp-grpc`'s OTLPTraceExporter is (the official options,
 * environment variables included, and export delegate), with the fast serializer and a
 * transport that retries.
 */
function fastGrpcExporter(config: OTLPGRPCExporterConfigNode, gate: BackoffGate): SpanExporter {
  const { OTLPExporterBase, createOtlpNetworkExportDelegate } = loadOnUse('@opentelemetry/otlp-exporter-base') as typeof ExporterBase;
  const { convertLegacyOtlpGrpcOptions, createOtlpGrpcExporterMetrics } = loadOnUse('@opentelemetry/otlp-grpc-exporter-base') as typeof GrpcExporterBase;
  const options = convertLegacyOtlpGrpcOptions(config, 'TRACES');
  const { version } = loadOnUse('@opentelemetry/otlp-grpc-exporter-base/package.json') as { version: string };
  // The official transport's user agent, naming the same exporter-base version.
  const userAgent = `${options.userAgent ? `${options.userAgent} ` : ''}OTel-OTLP-Exporter-JavaScript/${version}`;
  const transport = retryingTransport(new OtlpGrpcTransport(options, userAgent), { gate });
  const metrics = createOtlpGrpcExporterMetrics(COMPONENT_TYPE, spanExportMetrics, options.url, undefined);
  return new OTLPExporterBase<ReadableSpan[]>(createOtlpNetworkExportDelegate(options, fastTraceSerializer, metrics, transport));
}
