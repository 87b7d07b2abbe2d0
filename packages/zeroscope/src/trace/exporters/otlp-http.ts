import type * as OtlpJson from '@opentelemetry/exporter-trace-otlp-http';
import type * as OtlpProto from '@opentelemetry/exporter-trace-otlp-proto';
import type * as ExporterBase from '@opentelemetry/otlp-exporter-base';
import type { OTLPExporterNodeConfigBase } from '@opentelemetry/otlp-exporter-base';
import type * as NodeHttp from '@opentelemetry/otlp-exporter-base/node-http';
import { loadOnUse } from '../../internal/load-on-use.ts';
import { endpointUrl } from '../endpoint.ts';
import { fastTraceSerializer, spanExportMetrics } from '../otlp/serializer.ts';
import { BackoffGate, retryAfterAgentFactory } from '../retry-after.ts';
import { readTlsFiles } from '../tls.ts';
import type { ExporterFactory, ReadableSpan, SpanExporter } from './types.ts';

/** The component type the official OTLP/HTTP span exporter reports in its self-observability metrics. */
const COMPONENT_TYPE = 'otlp_http_span_exporter';

/**
 * `Batcher: otlphttp` — OTLP/HTTP with protobuf bodies (JSON when `OtlpHttpEncoding: json`, the
 * spec's `http/json`). `Endpoint` is `host:port` (path from `OtlpHttpPath`, https when
 * `OtlpHttpSecure`) or a full URL; `OtlpHeaders` become request headers; `OtlpCompression: gzip`
 * compresses bodies; the TLS files apply to an https endpoint. The official exporter retries
 * 429/502/503/504 and network errors with back-off, honouring `Retry-After` within one batch's
 * timeout; its agent also feeds a gate so that a longer `Retry-After` holds the following batches too.
 * With `Pipeline: fast` (the default) protobuf bodies are written by zeroscope's encoder
 * (`otlp/encode-traces.ts`, the same bytes) inside the official exporter; `Pipeline: sdk` uses the
 * official exporter class unchanged.
 */
export const otlpHttpExporter: ExporterFactory = (conf, settings) => {
  const url = endpointUrl(conf.Endpoint, { defaultPath: conf.OtlpHttpPath, secure: conf.OtlpHttpSecure, batcher: conf.Batcher });
  const gate = new BackoffGate();
  const { CompressionAlgorithm } = loadOnUse('@opentelemetry/otlp-exporter-base') as typeof ExporterBase;
  const config: OTLPExporterNodeConfigBase = {
    url: url.href,
    headers: { ...conf.OtlpHeaders },
    timeoutMillis: settings.timeoutMs,
    compression: conf.OtlpCompression === 'gzip' ? CompressionAlgorithm.GZIP : CompressionAlgorithm.NONE,
    httpAgentOptions: retryAfterAgentFactory(gate, readTlsFiles(conf)),
  };
  let exporter: SpanExporter;
  // Only the exporter the config asks for is loaded (the others' packages never are).
  if (conf.OtlpHttpEncoding === 'json') exporter = new (loadOnUse('@opentelemetry/exporter-trace-otlp-http') as typeof OtlpJson).OTLPTraceExporter(config);
  else if (conf.Pipeline === 'sdk') exporter = new (loadOnUse('@opentelemetry/exporter-trace-otlp-proto') as typeof OtlpProto).OTLPTraceExporter(config);
  else exporter = fastProtoExporter(config);
  return { exporter, target: url.href, gate };
};

/**
 * What `@opentelemetry/exporter-trace-otlp-proto`'s OTLPTraceExporter is (the official export
 * delegate over the node HTTP transport, same options), with the fast serializer.
 */
function fastProtoExporter(config: OTLPExporterNodeConfigBase): SpanExporter {
  const { OTLPExporterBase } = loadOnUse('@opentelemetry/otlp-exporter-base') as typeof ExporterBase;
  const { convertLegacyHttpOptions, createOtlpHttpExportDelegate } = loadOnUse('@opentelemetry/otlp-exporter-base/node-http') as typeof NodeHttp;
  const options = convertLegacyHttpOptions(config, 'TRACES', 'v1/traces', { 'Content-Type': 'application/x-protobuf' });
  const delegate = createOtlpHttpExportDelegate<ReadableSpan[], unknown>(options, fastTraceSerializer, COMPONENT_TYPE, spanExportMetrics, undefined);
  return new OTLPExporterBase<ReadableSpan[]>(delegate);
}
