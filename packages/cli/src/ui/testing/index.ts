/** Test helpers for code that consumes Tempo trace JSON. */
export { hexToBase64, otlpExportRequest, otlpTrace, toKeyValues } from './otlp-json.ts';
export type { SpanSpec } from './otlp-json.ts';
