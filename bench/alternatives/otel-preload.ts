/**
 * OpenTelemetry set up the way its docs tell a Node user to (variant D): the Node SDK with every
 * auto-instrumentation, exporting OTLP protobuf over HTTP. Loaded with `--import` so it runs
 * before express and grpc-js are imported; the import-in-the-middle hook lets the
 * instrumentations patch modules that ESM code imports. Settings come from the standard
 * environment: OTEL_SERVICE_NAME, OTEL_EXPORTER_OTLP_ENDPOINT.
 */
import { register } from 'node:module';
import { getNodeAutoInstrumentations } from '@opentelemetry/auto-instrumentations-node';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { NodeSDK } from '@opentelemetry/sdk-node';

register('@opentelemetry/instrumentation/hook.mjs', import.meta.url);

const sdk = new NodeSDK({
  traceExporter: new OTLPTraceExporter(),
  instrumentations: [getNodeAutoInstrumentations()],
});
sdk.start();

// Flush the last batch on the way out, as the docs' example does.
const shutdown = () => void sdk.shutdown().finally(() => process.exit(0));
process.once('SIGTERM', shutdown);
process.once('SIGINT', shutdown);
