import type * as SdkTraceBase from '@opentelemetry/sdk-trace-base';
import { loadOnUse } from '../../internal/load-on-use.ts';
import type { ExporterFactory } from './types.ts';

/**
 * `Batcher: console` (`OTEL_TRACES_EXPORTER=console`) — the SDK's console exporter: each span
 * printed to stdout, for debugging. Needs no `Endpoint`.
 */
export const consoleExporter: ExporterFactory = () => ({
  exporter: new (loadOnUse('@opentelemetry/sdk-trace-base') as typeof SdkTraceBase).ConsoleSpanExporter(),
  target: 'stdout',
});
