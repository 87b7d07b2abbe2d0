import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import * as grpc from '@grpc/grpc-js';
import { createTracerProvider, type AgentProvider } from '../agent.ts';
import { TelemetrySchema } from '../config.ts';
import { startFaultyOtlpGrpcReceiver, type FaultyGrpcReceiver, type GrpcFaultMode } from '../testing/receivers.ts';

function provider(r: FaultyGrpcReceiver, logs: string[], options: { timeoutMs: number; pipeline?: 'fast' | 'sdk' }): AgentProvider {
  const conf = { ...TelemetrySchema.parse({ Endpoint: r.endpoint, Batcher: 'otlpgrpc', Pipeline: options.pipeline ?? 'fast' }), Name: 'grpc-retry' };
  const p = createTracerProvider(conf, { log: (level, m) => logs.push(`${level}: ${m}`), exportTimeoutMs: options.timeoutMs });
  after(() => p.shutdown().catch(() => undefined));
  return p;
}

async function receiver(...modes: GrpcFaultMode[]): Promise<FaultyGrpcReceiver> {
  const r = await startFaultyOtlpGrpcReceiver(...modes);
  after(() => r.close());
  return r;
}

/** Ends one span named `name` and flushes; never throws (failed flushes are the point here). */
async function send(p: AgentProvider, name: string): Promise<void> {
  p.getTracer('t').startSpan(name).end();
  await p.forceFlush().catch(() => undefined);
}

const UNAVAILABLE: GrpcFaultMode = { kind: 'status', code: grpc.status.UNAVAILABLE };

describe('Batcher: otlpgrpc retries what the OTLP specification calls retryable', () => {
  it('a collector restarting (UNAVAILABLE twice, then OK) gets the batch, once, with no warning', async () => {
    const r = await receiver(UNAVAILABLE, UNAVAILABLE, { kind: 'ok' });
    const logs: string[] = [];
    const p = provider(r, logs, { timeoutMs: 5000 });
    await send(p, 'through-a-restart');
    assert.deepEqual(r.spans().map((s) => s.name), ['through-a-restart']);
    assert.equal(r.requests(), 3);
    assert.deepEqual([p.stats().exported, p.stats().failed], [1, 0]);
    assert.deepEqual(logs, []);
  });

  it('RESOURCE_EXHAUSTED is retried after the RetryInfo delay it carries, and not without one', async () => {
    const r = await receiver({ kind: 'status', code: grpc.status.RESOURCE_EXHAUSTED, retryDelayMs: 400 }, { kind: 'ok' });
    const p = provider(r, [], { timeoutMs: 5000 });
    const started = performance.now();
    await send(p, 'after-the-delay');
    assert.ok(performance.now() - started >= 400, 'waited the server-given delay');
    assert.deepEqual([r.requests(), r.spans().length], [2, 1]);

    const full = await receiver({ kind: 'status', code: grpc.status.RESOURCE_EXHAUSTED }, { kind: 'ok' });
    const logs: string[] = [];
    const q = provider(full, logs, { timeoutMs: 5000 });
    await send(q, 'no-room');
    assert.deepEqual([full.requests(), full.spans().length, q.stats().failed], [1, 0, 1]);
    assert.match(logs.join('\n'), /RESOURCE_EXHAUSTED|scripted failure/);
  });

  it('a final status (INVALID_ARGUMENT, UNAUTHENTICATED) is not sent again', async () => {
    for (const code of [grpc.status.INVALID_ARGUMENT, grpc.status.UNAUTHENTICATED]) {
      const r = await receiver({ kind: 'status', code }, { kind: 'ok' });
      const p = provider(r, [], { timeoutMs: 5000 });
      await send(p, 'refused');
      assert.deepEqual([r.requests(), p.stats().failed], [1, 1], `code ${code}`);
    }
  });

  it('retries stop at the export timeout: one warning, the spans counted as failed, delivered again once it answers', async () => {
    const r = await receiver(UNAVAILABLE);
    const logs: string[] = [];
    const p = provider(r, logs, { timeoutMs: 600 });
    await send(p, 'down');
    // The first back-off (~1 s) does not fit in 600 ms: no second call for this batch.
    assert.equal(r.requests(), 1);
    assert.equal(p.stats().failed, 1);
    r.setModes({ kind: 'ok' });
    await send(p, 'up-again');
    assert.deepEqual(r.spans().map((s) => s.name), ['up-again']);
    assert.equal(logs.filter((l) => l.startsWith('warn:')).length, 1, logs.join('\n'));
  });

  it('a RetryInfo delay longer than the timeout holds the following batches too', async () => {
    const r = await receiver({ kind: 'status', code: grpc.status.UNAVAILABLE, retryDelayMs: 3000 }, { kind: 'ok' });
    const p = provider(r, [], { timeoutMs: 600 });
    for (let i = 0; i < 3; i++) await send(p, `held-${i}`);
    assert.equal(r.requests(), 1, 'one call during the pause the server asked for');
    assert.equal(p.stats().failed, 3);
  });

  it('Pipeline: sdk keeps the official exporter, which does not retry', async () => {
    const r = await receiver(UNAVAILABLE, { kind: 'ok' });
    const p = provider(r, [], { timeoutMs: 5000, pipeline: 'sdk' });
    await send(p, 'official');
    assert.deepEqual([r.requests(), r.spans().length, p.stats().failed], [1, 0, 1]);
  });
});
