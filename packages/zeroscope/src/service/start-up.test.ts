// What a service loads at start-up: only what its config uses. Each optional package (metrics,
// other propagators, the OTLP transformer and metrics SDK, the logs SDK, the outgoing-call
// instrumentations and their module hooks) must wait for the config or the first use that needs
// it. Each scenario is a fresh child process (testdata/start-up-child.ts), since set-up runs once
// per process; it lists the CommonJS packages loaded once the service listens and after one request.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { after, describe, test } from 'node:test';
import { stringify } from 'yaml';

const CHILD = fileURLToPath(new URL('./testdata/start-up-child.ts', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'zeroscope-start-up-'));
after(() => rmSync(dir, { recursive: true, force: true }));

/** Packages a service loads only when its config, or a first use, asks for them. */
const PROMETHEUS = ['prom-client', 'tdigest', 'bintrees'];
const OTHER_PROPAGATORS = ['@opentelemetry/propagator-b3', '@opentelemetry/propagator-jaeger'];
const OTLP_TRANSFORMER = ['@opentelemetry/otlp-transformer', '@opentelemetry/sdk-metrics'];
const LOG_EXPORT = ['@opentelemetry/api-logs', '@opentelemetry/sdk-logs', '@opentelemetry/exporter-logs-otlp-proto', '@opentelemetry/exporter-logs-otlp-http'];
const INSTRUMENTATIONS = [
  '@opentelemetry/instrumentation',
  '@opentelemetry/instrumentation-http',
  '@opentelemetry/instrumentation-undici',
  'require-in-the-middle',
  'import-in-the-middle',
];
/** The tracing SDK: only a service that traces loads it. */
const SDK = ['@opentelemetry/sdk-trace-base', '@opentelemetry/sdk-trace', '@opentelemetry/resources', '@opentelemetry/context-async-hooks'];
const OPTIONAL = [...PROMETHEUS, ...OTHER_PROPAGATORS, ...OTLP_TRANSFORMER, ...LOG_EXPORT, ...INSTRUMENTATIONS];

interface Report {
  status: number;
  startUp: string[];
  idle: string[];
  afterRequest: string[];
}

let configs = 0;
/** Runs the child on a config of `Name: order` plus `conf`, written as YAML. */
async function start(conf: Record<string, unknown>, logLine = false, alone = false): Promise<Report> {
  const file = join(dir, `service-${configs++}.yaml`);
  writeFileSync(file, stringify({ Name: 'order', Host: '127.0.0.1', Port: 0, CpuThreshold: 0, UserRpc: { Endpoints: ['127.0.0.1:9'] }, ...conf }));
  const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', CHILD, JSON.stringify({ file, logLine, alone })], { timeout: 60_000 });
  const line = stdout.split('\n').find((l) => l.startsWith('RESULT '));
  assert.ok(line, `the child reported:\n${stdout}`);
  const report = JSON.parse(line.slice('RESULT '.length)) as Report;
  assert.equal(report.status, 200);
  return report;
}

const among = (loaded: string[], names: readonly string[]) => names.filter((n) => loaded.includes(n));
// Nothing listens on the discard port: spans are never sent during these tests anyway.
const TRACED = { Name: 'order', Endpoint: '127.0.0.1:9', Batcher: 'otlphttp', Sampler: 1.0 };

describe('a service loads at start-up only what its config uses', () => {
  test('traced over OTLP/HTTP, without Prometheus or other propagators: none of the optional packages', async () => {
    const { startUp, idle, afterRequest } = await start({ Telemetry: TRACED }, true);
    assert.ok(startUp.includes('@opentelemetry/sdk-trace-base') && startUp.includes('@opentelemetry/otlp-exporter-base'), 'the agent and its exporter are up');
    assert.deepEqual(among(startUp, OPTIONAL), []);
    // Once the service listens and the event loop idles, the instrumentations load: the first
    // request does not pay for them. The first exported line loads the logs SDK and its exporter
    // (which needs the OTLP transformer); what the config does not ask for stays unloaded.
    assert.deepEqual(among(idle, INSTRUMENTATIONS), INSTRUMENTATIONS);
    assert.deepEqual(among(afterRequest, INSTRUMENTATIONS), INSTRUMENTATIONS);
    const logExport = ['@opentelemetry/sdk-logs', '@opentelemetry/exporter-logs-otlp-proto', '@opentelemetry/otlp-transformer'];
    assert.deepEqual(among(afterRequest, logExport), logExport);
    assert.deepEqual(among(afterRequest, [...PROMETHEUS, ...OTHER_PROPAGATORS, '@opentelemetry/exporter-logs-otlp-http']), []);
  });

  test('untraced (Telemetry.Disabled): none of them, nor the tracing SDK, before or after a request', async () => {
    const { startUp, afterRequest } = await start({ Telemetry: { Name: 'order', Disabled: true } }, true);
    assert.ok(startUp.includes('@grpc/grpc-js') && startUp.includes('pino'), 'the listing sees CommonJS packages');
    assert.deepEqual(among(startUp, [...OPTIONAL, ...SDK]), []);
    assert.deepEqual(among(afterRequest, [...OPTIONAL, ...SDK]), []);
  });

  test('a server started alone (no group to warm the agent up): the first span installs the instrumentations', async () => {
    const { idle, afterRequest } = await start({ Telemetry: TRACED }, false, true);
    assert.deepEqual(among(idle, INSTRUMENTATIONS), []);
    assert.deepEqual(among(afterRequest, INSTRUMENTATIONS), INSTRUMENTATIONS);
  });

  test('Instrument off: a request loads no instrumentation', async () => {
    const { afterRequest } = await start({ Telemetry: { ...TRACED, Instrument: { Http: false, Fetch: false } } });
    assert.deepEqual(among(afterRequest, INSTRUMENTATIONS), []);
  });

  test('a Prometheus block and Propagators naming b3 and jaeger load what they need at start-up', async () => {
    const { startUp } = await start({
      Telemetry: { ...TRACED, Propagators: ['tracecontext', 'baggage', 'b3', 'jaeger'] },
      Prometheus: { Host: '127.0.0.1', Port: 0 },
    });
    assert.deepEqual(among(startUp, [...PROMETHEUS, ...OTHER_PROPAGATORS]), [...PROMETHEUS, ...OTHER_PROPAGATORS]);
    // (The metrics server's "serving metrics at" line is exported, which loads the logs SDK.)
    assert.deepEqual(among(startUp, INSTRUMENTATIONS), []);
  });
});
