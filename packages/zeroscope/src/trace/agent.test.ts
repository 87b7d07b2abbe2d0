import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { after, describe, it } from 'node:test';
import { promisify } from 'node:util';
import { propagation, trace } from '@opentelemetry/api';
import { createTracerProvider, type AgentConf } from './agent.ts';
import { TelemetrySchema } from './config.ts';
import { guardExporter } from './export-guard.ts';
import { ExportHealth } from './export-health.ts';
import { emptyStats } from './export-stats.ts';
import { ExportResultCode, type ExportResult } from '@opentelemetry/core';
import type { SpanExporter } from './exporters/types.ts';
import { startOtlpHttpReceiver, type TestReceiver } from './testing/receivers.ts';

const CHILD = fileURLToPath(new URL('./testdata/agent-child.ts', import.meta.url));
const run = promisify(execFile);

function conf(name: string, fields: Record<string, unknown>): AgentConf {
  return { ...TelemetrySchema.parse(fields), Name: name };
}

interface ChildReport {
  status: string;
  after: string;
  recording: boolean[];
  warnings: string[];
}

async function runChild(confs: AgentConf[], spans: number): Promise<ChildReport> {
  const { stdout } = await run(process.execPath, ['--import', 'tsx', CHILD, JSON.stringify({ confs, spans })], { timeout: 60_000 });
  return JSON.parse(stdout) as ChildReport;
}

async function receiver(): Promise<TestReceiver> {
  const r = await startOtlpHttpReceiver();
  after(() => r.close());
  return r;
}

describe('startAgent (one child process per scenario, since it starts once per process)', () => {
  it('is idempotent, honours Disabled and Sampler 0', async () => {
    const [first, second, disabled, unsampled] = await Promise.all([receiver(), receiver(), receiver(), receiver()]);
    const [twice, off, zero] = await Promise.all([
      runChild([conf('first', { Endpoint: first.endpoint }), conf('second', { Endpoint: second.endpoint })], 3),
      runChild([conf('off', { Endpoint: disabled.endpoint, Disabled: true })], 2),
      runChild([conf('zero', { Endpoint: unsampled.endpoint, Sampler: 0 })], 2),
    ]);

    // Idempotent: the second call changed nothing; every span went to the first endpoint, flushed on shutdown.
    assert.equal(twice.status, 'running');
    assert.equal(twice.after, 'stopped');
    assert.deepEqual(twice.recording, [true, true, true]);
    assert.deepEqual(first.spans().map((s) => s.name).sort(), ['child-span-0', 'child-span-1', 'child-span-2']);
    assert.ok(first.spans().every((s) => s.service === 'first'));
    assert.equal(second.connections(), 0);

    // Disabled: no provider (spans are non-recording), no connection at all.
    assert.equal(off.status, 'disabled');
    assert.deepEqual(off.recording, [false, false]);
    assert.equal(disabled.connections(), 0);

    // Sampler 0: spans are not recorded and nothing is sent.
    assert.equal(zero.status, 'running');
    assert.deepEqual(zero.recording, [false, false]);
    assert.equal(unsampled.connections(), 0);
    assert.deepEqual([twice.warnings, off.warnings, zero.warnings], [[], [], []]);
  });
});

describe('createTracerProvider', () => {
  it('without Endpoint records spans and exports nothing; registers nothing globally', async () => {
    const provider = createTracerProvider(conf('local', {}));
    const span = provider.getTracer('t').startSpan('s');
    assert.equal(span.isRecording(), true);
    span.end();
    await provider.forceFlush();
    await provider.shutdown();
    assert.equal(trace.getTracerProvider().getTracer('t').startSpan('x').isRecording(), false);
    assert.deepEqual(propagation.fields(), []);
  });

  it('a failing export path logs one warning per outage, never throws', async () => {
    const logs: string[] = [];
    // Endpoint is a directory: every append fails at once (no network retries to wait for).
    const provider = createTracerProvider(conf('broken', { Batcher: 'file', Endpoint: fileURLToPath(new URL('.', import.meta.url)) }), {
      log: (level, message) => logs.push(`${level}: ${message}`),
    });
    for (let i = 0; i < 3; i++) {
      provider.getTracer('t').startSpan(`s${i}`).end();
      await provider.forceFlush().catch(() => undefined);
    }
    await provider.shutdown().catch(() => undefined);
    assert.equal(logs.length, 1, logs.join('\n'));
    assert.match(logs[0] ?? '', /^warn: exporting spans to file .* failed: .*no further warnings/);
  });
});

const guard = (exporter: SpanExporter, health: ExportHealth) => guardExporter(exporter, { health, stats: emptyStats(), timeoutMs: 1000, maxInFlight: 4 });

describe('ExportHealth', () => {
  it('warns once when an outage starts and reports once when it ends', () => {
    const logs: string[] = [];
    const results: ExportResultCode[] = [ExportResultCode.FAILED, ExportResultCode.FAILED, ExportResultCode.SUCCESS, ExportResultCode.SUCCESS, ExportResultCode.FAILED];
    const fake: SpanExporter = {
      export(_spans, cb: (r: ExportResult) => void) {
        const code = results.shift() ?? ExportResultCode.SUCCESS;
        cb(code === ExportResultCode.SUCCESS ? { code } : { code, error: new Error('connection refused') });
      },
      shutdown: async () => {},
    };
    const watched = guard(fake, new ExportHealth('otlphttp http://x', (level, m) => logs.push(`${level}: ${m}`)));
    const seen: ExportResultCode[] = [];
    for (let i = 0; i < 5; i++) watched.export([], (r: ExportResult) => seen.push(r.code));
    assert.equal(seen.length, 5, 'every result still reaches the processor');
    assert.deepEqual(logs.map((l) => l.split(':')[0]), ['warn', 'info', 'warn']);
    assert.match(logs[0] ?? '', /connection refused/);
  });

  it('an exporter that throws is reported as a failed export', () => {
    const logs: string[] = [];
    const watched = guard({ export: () => { throw new Error('boom'); }, shutdown: async () => {} }, new ExportHealth('x', (_l, m) => logs.push(m)));
    let code: ExportResultCode | undefined;
    watched.export([], (r: ExportResult) => (code = r.code));
    assert.equal(code, ExportResultCode.FAILED);
    assert.equal(logs.length, 1);
  });
});
