import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { describe, test } from 'node:test';

const REGISTRY = new URL('./registry.ts', import.meta.url).href;
const CONFIG = new URL('../config.ts', import.meta.url).href;
const EXPORTER_PACKAGES = [
  '@opentelemetry/exporter-zipkin',
  '@opentelemetry/exporter-trace-otlp-grpc',
  '@opentelemetry/exporter-trace-otlp-http',
  '@opentelemetry/exporter-trace-otlp-proto',
  '@opentelemetry/otlp-transformer',
] as const;

/** The exporter packages a fresh process has loaded after building the exporter `batcher` names (none: only importing the registry). */
function loadedAfter(batcher: string | undefined, extra: Record<string, unknown> = {}): string[] {
  const script = `
    import { createRequire } from 'node:module';
    const { createExporter } = await import(${JSON.stringify(REGISTRY)});
    const { TelemetrySchema } = await import(${JSON.stringify(CONFIG)});
    const batcher = ${JSON.stringify(batcher ?? null)};
    if (batcher) createExporter(TelemetrySchema.parse({ Name: 't', Endpoint: batcher === 'file' ? '/dev/null' : '127.0.0.1:4318', Batcher: batcher, ...${JSON.stringify(extra)} }));
    const loaded = Object.keys(createRequire(import.meta.url).cache);
    console.log(JSON.stringify(${JSON.stringify(EXPORTER_PACKAGES)}.filter((p) => loaded.some((f) => f.includes('/node_modules/' + p + '/')))));
  `;
  const out = execFileSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { encoding: 'utf8' });
  return JSON.parse(out.trim().split('\n').at(-1)!) as string[];
}

// What a whole service loads at start-up, config by config: service/start-up.test.ts.
describe('exporter packages load on first use', () => {
  test('importing the registry loads none of them (a service with tracing off pays nothing)', () => {
    assert.deepEqual(loadedAfter(undefined), []);
  });

  test('each Batcher loads only what its exporter needs', () => {
    // The default: zeroscope's encoder inside the official transport, without otlp-transformer
    // (and the metrics SDK its index loads) until a response has something to read.
    assert.deepEqual(loadedAfter('otlphttp'), []);
    assert.deepEqual(loadedAfter('otlphttp', { OtlpHttpEncoding: 'json' }), ['@opentelemetry/exporter-trace-otlp-http', '@opentelemetry/otlp-transformer']);
    assert.deepEqual(loadedAfter('otlphttp', { Pipeline: 'sdk' }), ['@opentelemetry/exporter-trace-otlp-proto', '@opentelemetry/otlp-transformer']);
    assert.deepEqual(loadedAfter('zipkin'), ['@opentelemetry/exporter-zipkin']);
    // The same for gRPC: zeroscope's encoder and retrying transport in the official delegate.
    assert.deepEqual(loadedAfter('otlpgrpc'), []);
    assert.deepEqual(loadedAfter('otlpgrpc', { Pipeline: 'sdk' }), ['@opentelemetry/exporter-trace-otlp-grpc', '@opentelemetry/otlp-transformer']);
  });
});
