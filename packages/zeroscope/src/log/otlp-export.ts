/**
 * OTLP log export: the one module of the log package that touches the OpenTelemetry logs SDK.
 * pino writes each line to the stream built here as well as to its destination; the stream turns
 * the line's parts into an OTel LogRecord carrying the line's trace and span ids, and the SDK's
 * batch processor ships them over OTLP/HTTP to `/v1/logs`, on the same wire as the spans: protobuf
 * or JSON, gzip or not, and the same TLS files.
 */
import { hostname } from 'node:os';
import { type Attributes, type Context, ROOT_CONTEXT, TraceFlags, context, trace } from '@opentelemetry/api';
import type * as ApiLogs from '@opentelemetry/api-logs';
import type { AnyValue, LogAttributes, Logger as OtelLogger, SeverityNumber } from '@opentelemetry/api-logs';
import { ExportResultCode } from '@opentelemetry/core';
import type { LoggerProvider, LogRecordExporter } from '@opentelemetry/sdk-logs';
import type { DestinationStream, Logger } from 'pino';
import { loadOnUse as require } from '../internal/load-on-use.ts';
import { LogError } from './errors.ts';
import { LOCAL_ONLY } from './local-only.ts';

// The logs SDK and its OTLP exporter (with the OTLP transformer under them) are loaded when the
// first line is exported, not when the export is set up: most services log nothing to export for a
// while after start (access lines stay local unless `Log.ExportAccess`), and one that never does
// never pays their start-up time or memory. They are CommonJS packages, required rather than
// imported: the same module an import would load, and loading it stays synchronous, inside the
// line's write, so no line can arrive before the pipeline that takes it.
const logsSdk = () => ({
  ...(require('@opentelemetry/api-logs') as Pick<typeof ApiLogs, 'SeverityNumber'>),
  ...(require('@opentelemetry/otlp-exporter-base') as Pick<typeof import('@opentelemetry/otlp-exporter-base'), 'CompressionAlgorithm'>),
  ...(require('@opentelemetry/resources') as typeof import('@opentelemetry/resources')),
  ...(require('@opentelemetry/sdk-logs') as typeof import('@opentelemetry/sdk-logs')),
});
/** The OTLP/HTTP log exporter for an encoding; only that one is loaded. */
const logExporterClass = (encoding: OtlpLogExportConf['encoding']) =>
  encoding === 'json'
    ? (require('@opentelemetry/exporter-logs-otlp-http') as typeof import('@opentelemetry/exporter-logs-otlp-http')).OTLPLogExporter
    : (require('@opentelemetry/exporter-logs-otlp-proto') as typeof import('@opentelemetry/exporter-logs-otlp-proto')).OTLPLogExporter;

/** Where and as whom logs are exported; built from the `Telemetry` block by setUpLogging. */
export interface OtlpLogExportConf {
  /** `Telemetry.Endpoint`: `host:port` or a URL. */
  endpoint: string;
  /** `Telemetry.OtlpHttpPath`: its `/v1/traces` suffix becomes `/v1/logs`. */
  tracesPath?: string;
  /** https for a `host:port` endpoint (`Telemetry.OtlpHttpSecure`). */
  secure?: boolean;
  /** `Telemetry.OtlpHeaders`. */
  headers?: Record<string, string>;
  /** `Telemetry.OtlpHttpEncoding`: protobuf (default) or JSON bodies. */
  encoding?: 'protobuf' | 'json';
  /** `Telemetry.OtlpCompression`. */
  compression?: 'none' | 'gzip';
  /** The PEM contents of `Telemetry.OtlpCaFile`, `OtlpClientCertFile`, `OtlpClientKeyFile`, for https. */
  tls?: { ca?: Buffer | undefined; cert?: Buffer | undefined; key?: Buffer | undefined };
  /** `service.name` of the resource (the trace agent's name, so logs and spans match). */
  serviceName: string;
  /** More resource attributes, e.g. `deployment.environment.name`. */
  resource?: Record<string, string | number | boolean>;
  /** Told once when exporting starts failing and once when it recovers; default stderr. */
  warn?: (message: string) => void;
}

/** A running export: the stream pino writes to, and its lifecycle. */
export interface OtlpLogExport {
  readonly url: string;
  readonly stream: DestinationStream;
  forceFlush(): Promise<void>;
  shutdown(): Promise<void>;
}

// See plain-stream.ts: pino sets the line's parts on streams carrying this symbol.
const METADATA = Symbol.for('pino.metadata');
const BATCH = { maxQueueSize: 2048, maxExportBatchSize: 512, scheduledDelayMillis: 1000, exportTimeoutMillis: 10_000 };
const SKIPPED = new Set(['trace_id', 'span_id', 'msg', 'service']);
/** pino's level → OTel severity number and text. */
const severities = (n: typeof ApiLogs.SeverityNumber): Record<number, [SeverityNumber, string]> => ({
  10: [n.TRACE, 'trace'],
  20: [n.DEBUG, 'debug'],
  30: [n.INFO, 'info'],
  40: [n.WARN, 'warn'],
  50: [n.ERROR, 'error'],
  60: [n.FATAL, 'severe'],
});

/**
 * The OTLP/HTTP logs URL for a traces endpoint: `host:port` → `http://host:port/v1/logs`; a path
 * ending in `/v1/traces` (from the URL or `tracesPath`) swaps that suffix; any other path is a
 * base that `/v1/logs` is appended to (the OTLP exporters' convention for a base endpoint).
 * @throws LogError `LOG_ERR_EXPORT` when `endpoint` is not `host:port` or an http(s) URL.
 */
export function otlpLogsUrl(endpoint: string, tracesPath = '/v1/traces', secure = false): string {
  const hasScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(endpoint);
  let url: URL;
  try {
    url = new URL(hasScheme ? endpoint : `${secure ? 'https' : 'http'}://${endpoint}`);
  } catch (err) {
    throw new LogError('LOG_ERR_EXPORT', `Telemetry.Endpoint "${endpoint}" is not host:port or a URL`, { cause: err });
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new LogError('LOG_ERR_EXPORT', `Telemetry.Endpoint "${endpoint}": logs export needs http(s), got ${url.protocol}`);
  }
  const path = url.pathname === '' || url.pathname === '/' ? tracesPath : url.pathname;
  url.pathname = path.endsWith('/v1/traces') ? `${path.slice(0, -'/v1/traces'.length)}/v1/logs` : `${path.replace(/\/$/, '')}/v1/logs`;
  return url.toString();
}

/**
 * Starts exporting log lines over OTLP/HTTP, batched (one export a second, a bounded
 * queue: lines beyond it are dropped, never buffered without limit). The endpoint is checked now;
 * the logs SDK and its exporter are loaded and built when the first line is written to the stream,
 * and a flush or shutdown before that has nothing to send.
 * @throws LogError `LOG_ERR_EXPORT` for an unusable endpoint.
 */
export function createOtlpLogExport(conf: OtlpLogExportConf): OtlpLogExport {
  const url = otlpLogsUrl(conf.endpoint, conf.tracesPath, conf.secure);
  let pipeline: Pipeline | undefined;
  let closed = false;
  const bindings = new WeakMap<Logger, Attributes>();

  const stream = {
    [METADATA]: true,
    lastLevel: 30,
    lastObj: undefined as Record<string, unknown> | undefined,
    lastMsg: undefined as string | undefined,
    lastLogger: undefined as Logger | undefined,
    write(): void {
      const fields = stream.lastObj ?? {};
      if ((fields as { [LOCAL_ONLY]?: boolean })[LOCAL_ONLY] === true || closed) return;
      if (pipeline === undefined) {
        try {
          pipeline = buildPipeline(conf, url);
        } catch (err) {
          // A line must never fail because its export could not start: say so once, export nothing.
          closed = true;
          (conf.warn ?? warnOnStderr)(`exporting logs to ${url} could not start: ${err instanceof Error ? err.message : String(err)}`);
          return;
        }
      }
      const [severityNumber, severityText] = pipeline.severity[stream.lastLevel] ?? [pipeline.unspecified, String(stream.lastLevel)];
      const attributes: LogAttributes = { ...childBindings(stream.lastLogger, bindings) };
      for (const key in fields) if (!SKIPPED.has(key)) addAttribute(attributes, key, fields[key]);
      pipeline.logger.emit({
        timestamp: Date.now(),
        severityNumber,
        severityText,
        body: stream.lastMsg ?? '',
        attributes,
        context: lineContext(fields),
      });
    },
  };
  return {
    url,
    stream: stream as unknown as DestinationStream,
    forceFlush: async () => pipeline?.provider.forceFlush(),
    shutdown: async () => {
      closed = true;
      await pipeline?.provider.shutdown();
    },
  };
}

/** The logs SDK's half of an export, built on the first line. */
interface Pipeline {
  provider: LoggerProvider;
  logger: OtelLogger;
  severity: Record<number, [SeverityNumber, string]>;
  unspecified: SeverityNumber;
}

function buildPipeline(conf: OtlpLogExportConf, url: string): Pipeline {
  const { SeverityNumber, CompressionAlgorithm, defaultResource, resourceFromAttributes, LoggerProvider, BatchLogRecordProcessor } = logsSdk();
  const Exporter = logExporterClass(conf.encoding);
  const otlp = new Exporter({
    url,
    headers: conf.headers ?? {},
    compression: conf.compression === 'gzip' ? CompressionAlgorithm.GZIP : CompressionAlgorithm.NONE,
    // The exporter hands these options to node:https's Agent; they mean nothing to plain http.
    httpAgentOptions: { keepAlive: true, ...(url.startsWith('https:') ? conf.tls : {}) },
  });
  const exporter = quietExporter(otlp, url, conf.warn ?? warnOnStderr);
  const resource = defaultResource().merge(
    resourceFromAttributes({ 'host.name': hostname(), 'process.pid': process.pid, ...conf.resource, 'service.name': conf.serviceName }),
  );
  const provider = new LoggerProvider({ resource, processors: [new BatchLogRecordProcessor({ exporter, ...BATCH })] });
  return { provider, logger: provider.getLogger('zeroscope'), severity: severities(SeverityNumber), unspecified: SeverityNumber.UNSPECIFIED };
}

/** The context whose span the record names: the line's own ids, flags from the active span. */
function lineContext(fields: Record<string, unknown>): Context | undefined {
  const traceId = fields.trace_id;
  const spanId = fields.span_id;
  if (typeof traceId !== 'string' || typeof spanId !== 'string') return undefined;
  const active = trace.getSpanContext(context.active());
  const traceFlags = active?.traceId === traceId ? active.traceFlags : TraceFlags.SAMPLED;
  return trace.setSpanContext(ROOT_CONTEXT, { traceId, spanId, traceFlags });
}

/** Fields of a child logger (`logger().child({ module })`), parsed once per child. */
function childBindings(logger: Logger | undefined, cache: WeakMap<Logger, Attributes>): Attributes | undefined {
  if (logger === undefined) return undefined;
  let attributes = cache.get(logger);
  if (attributes === undefined) {
    attributes = {};
    const raw = logger.bindings() as Record<string, unknown>;
    for (const key in raw) if (!SKIPPED.has(key)) addAttribute(attributes as LogAttributes, key, raw[key]);
    cache.set(logger, attributes);
  }
  return attributes;
}

/** Primitives pass as they are; errors as semconv `exception.*`; anything else as JSON text. */
function addAttribute(attributes: LogAttributes, key: string, value: unknown): void {
  if (value === undefined || value === null) return;
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') {
    attributes[key] = value;
  } else if (value instanceof Error) {
    attributes['exception.type'] = value.name;
    attributes['exception.message'] = value.message;
    if (value.stack !== undefined) attributes['exception.stacktrace'] = value.stack;
  } else {
    let text: string | undefined;
    try {
      text = JSON.stringify(value);
    } catch {
      text = String(value);
    }
    attributes[key] = (text ?? String(value)) as AnyValue;
  }
}

/**
 * Reports failures itself, one warning per outage, and tells the processor every batch went
 * through: the processor only forwards failures to OpenTelemetry's global error handler, which
 * the trace agent owns and would report as failing *span* exports.
 */
function quietExporter(exporter: LogRecordExporter, url: string, warn: (message: string) => void): LogRecordExporter {
  let down = false;
  return {
    export(logs, done) {
      exporter.export(logs, (result) => {
        if (result.code === ExportResultCode.SUCCESS) {
          if (down) warn(`exporting logs to ${url} works again`);
          down = false;
        } else if (!down) {
          down = true;
          warn(`exporting logs to ${url} failed: ${result.error?.message ?? 'unknown error'}; log records are dropped until it recovers`);
        }
        done({ code: ExportResultCode.SUCCESS });
      });
    },
    shutdown: () => exporter.shutdown(),
    forceFlush: () => exporter.forceFlush(),
  };
}

function warnOnStderr(message: string): void {
  console.warn(`[zeroscope/log] ${message}`);
}
