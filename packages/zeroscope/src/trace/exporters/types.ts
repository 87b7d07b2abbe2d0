import type { ExportResult } from '@opentelemetry/core';
import type { JsonTraceSerializer } from '@opentelemetry/otlp-transformer';
import type { TelemetryConf } from '../config.ts';
import type { BackoffGate } from '../retry-after.ts';

/**
 * A finished span as exporters receive it. Derived from the serializer's signature so this folder
 * need not import the SDK (only agent.ts does).
 */
export type ReadableSpan = Parameters<typeof JsonTraceSerializer.serializeRequest>[0][number];

/** The narrow exporter contract the agent's batch processor drives (the SDK's SpanExporter shape). */
export interface SpanExporter {
  export(spans: ReadableSpan[], resultCallback: (result: ExportResult) => void): void;
  shutdown(): Promise<void>;
  forceFlush?(): Promise<void>;
}

/** What an exporter factory gets: the Telemetry config with a service name and an endpoint. */
export type ExporterConf = TelemetryConf & { Name: string; Endpoint: string };

/** Settings of an exporter that are code, not config. */
export interface ExporterSettings {
  /** How long one export may take, retries included (the OTLP exporters' `timeoutMillis`). */
  timeoutMs: number;
}

/** What a factory builds: the exporter, a human-readable destination, and the `Retry-After` gate it feeds, if any. */
export interface BuiltExporter {
  exporter: SpanExporter;
  target: string;
  gate?: BackoffGate;
}

/** Builds one kind of exporter. */
export type ExporterFactory = (conf: ExporterConf, settings: ExporterSettings) => BuiltExporter;
