import { ConsoleSpanExporter } from '@opentelemetry/sdk-trace-base';
import type { ExporterFactory } from './types.ts';

/**
 * `Batcher: console` (`OTEL_TRACES_EXPORTER=console`) — the SDK's console exporter: each span
 * printed to stdout, for debugging. Needs no `Endpoint`.
 */
export const consoleExporter: ExporterFactory = () => ({ exporter: new ConsoleSpanExporter(), target: 'stdout' });
