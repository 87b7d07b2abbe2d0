import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import { after, describe, it } from 'node:test';
import { createTracerProvider, type AgentConf, type AgentProvider } from './agent.ts';
import { TelemetrySchema } from './config.ts';
import { parseRetryAfter } from './retry-after.ts';
import { startFaultyOtlpHttpReceiver, type FaultMode, type FaultyReceiver } from './testing/receivers.ts';

/** Short export timeout so hanging endpoints are given up on quickly. */
const TIMEOUT_MS = 600;

function conf(endpoint: string): AgentConf {
  return { ...TelemetrySchema.parse({ Endpoint: endpoint }), Name: 'reliable' };
}

function provider(endpoint: string, logs: string[], timeoutMs = TIMEOUT_MS): AgentProvider {
  const p = createTracerProvider(conf(endpoint), { log: (level, m) => logs.push(`${level}: ${m}`), exportTimeoutMs: timeoutMs });
  after(() => p.shutdown().catch(() => undefined));
  return p;
}

async function faulty(mode: FaultMode): Promise<FaultyReceiver> {
  const r = await startFaultyOtlpHttpReceiver(mode);
  after(() => r.close());
  return r;
}

/** A port nothing listens on (bound, then released). */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** Ends `n` spans named `name` and flushes; never throws (flush failures are the point here). */
async function round(p: AgentProvider, name: string, n = 5): Promise<void> {
  for (let i = 0; i < n; i++) p.getTracer('t').startSpan(name).end();
  await p.forceFlush().catch(() => undefined);
}

/** Keeps ending and flushing a span named `name` until the receiver has it (at most ~5 s). */
async function deliverAfterRecovery(p: AgentProvider, r: FaultyReceiver, name: string): Promise<void> {
  for (let i = 0; i < 50 && !r.spans().some((s) => s.name === name); i++) {
    await round(p, name, 1);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  assert.ok(r.spans().some((s) => s.name === name), `a span ended after recovery arrived (${r.requests()} requests)`);
}

const warnings = (logs: string[]) => logs.filter((l) => l.startsWith('warn:'));

describe('export failures never reach the app: one warning per outage, spans counted, recovery without restart', () => {
  const failures: Array<[string, FaultMode]> = [
    ['answering 500', { kind: 'status', status: 500 }],
    ['hanging (accepts, never answers)', { kind: 'hang' }],
    ['answering 503 with Retry-After', { kind: 'status', status: 503, headers: { 'retry-after': '1' } }],
    ['answering 429 with Retry-After', { kind: 'status', status: 429, headers: { 'retry-after': '1' } }],
  ];
  for (const [label, mode] of failures) {
    it(label, async () => {
      const r = await faulty(mode);
      const logs: string[] = [];
      const p = provider(r.endpoint, logs);
      for (let i = 0; i < 3; i++) await round(p, `down-${i}`);
      const down = p.stats();
      assert.equal(down.exported, 0);
      assert.equal(down.failed, 15, JSON.stringify(down));
      assert.equal(down.failedExports, 3);
      assert.equal(warnings(logs).length, 1, logs.join('\n'));
      assert.match(logs[0] ?? '', /exporting spans to otlphttp http:\/\/127\.0\.0\.1:\d+\/v1\/traces failed/);
      if (mode.kind === 'status' && mode.headers?.['retry-after']) {
        // Retry-After (1 s) is longer than the export timeout: the exporter gave up on the first
        // batch, and the next two were held back instead of knocking again.
        assert.equal(r.requests(), 1, 'one request during the Retry-After pause');
      }
      r.setMode({ kind: 'ok' });
      await deliverAfterRecovery(p, r, 'after-recovery');
      assert.equal(warnings(logs).length, 1, logs.join('\n'));
      assert.match(logs.at(-1) ?? '', /^info: exporting spans to .* works again/);
      assert.ok(p.stats().exported >= 1);
    });
  }

  it('refusing connections', async () => {
    const port = await closedPort();
    const logs: string[] = [];
    const p = provider(`127.0.0.1:${port}`, logs);
    for (let i = 0; i < 3; i++) await round(p, `refused-${i}`);
    assert.deepEqual([p.stats().failed, p.stats().failedExports, warnings(logs).length], [15, 3, 1], logs.join('\n'));
    assert.match(logs[0] ?? '', /ECONNREFUSED|connect/);
  });

  it('a Retry-After shorter than the timeout is waited out within the batch: delivered, no warning', async () => {
    const r = await faulty({ kind: 'status', status: 503, headers: { 'retry-after': '1' } });
    const logs: string[] = [];
    const p = provider(r.endpoint, logs, 4000);
    p.getTracer('t').startSpan('retried').end();
    const flushed = p.forceFlush();
    while (r.requests() === 0) await new Promise((resolve) => setTimeout(resolve, 5));
    r.setMode({ kind: 'ok' });
    await flushed;
    assert.deepEqual(r.spans().map((s) => s.name), ['retried']);
    assert.equal(r.requests(), 2);
    assert.deepEqual(logs, []);
  });

  it('spans past the queue limit are dropped and counted; the queue never holds more than its limit', async () => {
    const r = await faulty({ kind: 'hang' });
    const p = provider(r.endpoint, []);
    for (let i = 0; i < 5000; i++) p.getTracer('t').startSpan('flood').end();
    const s = p.stats();
    assert.ok(s.queued <= 2048, JSON.stringify(s));
    assert.ok(s.dropped >= 5000 - 2048 - 512, JSON.stringify(s));
    // Every span is accounted for: queued, dropped, or handed to the (hanging) exporter in one batch.
    assert.equal(s.queued + s.dropped + 512, 5000, JSON.stringify(s));
  });

  it('OTEL_BSP_MAX_QUEUE_SIZE and OTEL_BSP_MAX_EXPORT_BATCH_SIZE set the queue and batch limits', async () => {
    const r = await faulty({ kind: 'hang' });
    const p = withEnv({ OTEL_BSP_MAX_QUEUE_SIZE: '100', OTEL_BSP_MAX_EXPORT_BATCH_SIZE: '10' }, () => provider(r.endpoint, []));
    for (let i = 0; i < 500; i++) p.getTracer('t').startSpan('flood').end();
    const s = p.stats();
    assert.ok(s.queued <= 100, JSON.stringify(s));
    // One batch of 10 went to the (hanging) exporter; the rest is queued or dropped.
    assert.equal(s.queued + s.dropped + 10, 500, JSON.stringify(s));
  });

  it('OTEL_BSP_* values that are not positive integers leave the defaults (queue 2048, batch 512)', async () => {
    for (const bad of ['abc', '0', '-5', '1.5', ' ']) {
      const r = await faulty({ kind: 'hang' });
      const p = withEnv({ OTEL_BSP_MAX_QUEUE_SIZE: bad, OTEL_BSP_MAX_EXPORT_BATCH_SIZE: bad }, () => provider(r.endpoint, []));
      for (let i = 0; i < 5000; i++) p.getTracer('t').startSpan('flood').end();
      const s = p.stats();
      assert.ok(s.queued <= 2048, `${JSON.stringify(bad)}: ${JSON.stringify(s)}`);
      assert.equal(s.queued + s.dropped + 512, 5000, `${JSON.stringify(bad)}: ${JSON.stringify(s)}`);
    }
  });
});

/** Runs `fn` with the given environment variables set, then puts them back as they were. */
function withEnv<T>(vars: Record<string, string>, fn: () => T): T {
  const saved = Object.fromEntries(Object.keys(vars).map((key) => [key, process.env[key]]));
  Object.assign(process.env, vars);
  try {
    return fn();
  } finally {
    for (const [key, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
  }
}

describe('parseRetryAfter', () => {
  it('reads delta-seconds and HTTP dates, ignores junk', () => {
    const now = Date.parse('2025-01-01T00:00:00Z');
    assert.equal(parseRetryAfter('3', now), 3000);
    assert.equal(parseRetryAfter('Wed, 01 Jan 2025 00:00:10 GMT', now), 10_000);
    assert.equal(parseRetryAfter('soon', now), undefined);
    assert.equal(parseRetryAfter(undefined, now), undefined);
  });
});
