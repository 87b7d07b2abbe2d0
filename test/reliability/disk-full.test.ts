// Full disk: with a small store quota (a full disk made without root) and with a free-space floor
// above what the disk has, writes answer 507 (gRPC RESOURCE_EXHAUSTED) on every receiver while
// reads keep serving; once space frees, writes work again.
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { startBackend, type RunningBackend } from '../../packages/cli/src/backend/app.ts';
import { resolveBackendConfig, type BackendConfig } from '../../packages/cli/src/backend/config.ts';
import { rawGrpcClient, sendBatch, storedSpanCount, traceIdFor, type Batch, type Targets } from './lib/traces.ts';

async function backendWith(t: { after(fn: () => unknown): void }, extra: Partial<BackendConfig>): Promise<{ backend: RunningBackend; targets: Targets }> {
  const dataDir = await mkdtemp(join(tmpdir(), 'zeroscope-full-'));
  const config = resolveBackendConfig({ dataDir, otlpHttpPort: '0', otlpGrpcPort: '0', zipkinPort: '0', queryPort: '0' }, {});
  const backend = await startBackend({ ...config, ...extra }, { onError: () => {} });
  const grpc = rawGrpcClient(backend.addresses.otlpGrpc);
  t.after(async () => {
    grpc.close();
    await backend.stop();
    await rm(dataDir, { recursive: true, force: true });
  });
  return { backend, targets: { otlpHttp: backend.addresses.otlpHttp, zipkin: backend.addresses.zipkin, grpc } };
}

describe('a full disk', () => {
  it('answers 507 on every receiver, keeps serving reads, and takes writes again once space frees', async (t) => {
    const { backend, targets } = await backendWith(t, { maxDataBytes: 64 * 1024 });
    const batch = (n: number): Batch => ({ traceId: traceIdFor(7, 0, n), spans: 20, service: 'filler' });
    const stored: Batch[] = [];
    let refused = '';
    for (let n = 0; n < 500 && !refused; n++) {
      const result = await sendBatch(targets, 'otlp-proto', batch(n));
      if (result.acked) stored.push(batch(n));
      else refused = result.status;
    }
    assert.equal(refused, '507', 'the quota was reached and answered 507');
    assert.ok(stored.length > 0);
    assert.equal((await sendBatch(targets, 'otlp-json', batch(1000))).status, '507');
    assert.equal((await sendBatch(targets, 'zipkin', batch(1001))).status, '507');
    assert.equal((await sendBatch(targets, 'otlp-grpc', batch(1002))).status, 'grpc:8'); // RESOURCE_EXHAUSTED

    // Reads keep working, and every acknowledged span is there.
    const q = backend.addresses.query;
    for (const b of [stored[0]!, stored.at(-1)!]) assert.equal(await storedSpanCount(q, b.traceId), b.spans);
    const search = await fetch(`${q}/api/search?q=${encodeURIComponent('{ resource.service.name = "filler" }')}&limit=5`);
    assert.equal(search.status, 200);
    assert.equal(((await search.json()) as { traces: unknown[] }).traces.length, 5);
    assert.equal((await fetch(`${q}/api/v2/search/tags`)).status, 200);

    // Space frees (retention deletes every trace), and the same request now succeeds.
    const farFuture = (BigInt(Date.now()) + 365n * 86_400_000n) * 1_000_000n;
    assert.equal((await backend.store.sweep(farFuture)).deletedTraces, stored.length);
    for (const protocol of ['otlp-proto', 'otlp-grpc'] as const) {
      const result = await sendBatch(targets, protocol, batch(protocol === 'otlp-grpc' ? 2000 : 1000));
      assert.ok(result.acked, `${protocol}: ${result.status}`);
    }
  });

  it('answers 507 while the file system has less free space than the floor', async (t) => {
    const { backend, targets } = await backendWith(t, { minFreeDiskBytes: Number.MAX_SAFE_INTEGER });
    assert.equal((await sendBatch(targets, 'otlp-proto', { traceId: traceIdFor(8, 0, 0), spans: 1, service: 'x' })).status, '507');
    assert.equal((await sendBatch(targets, 'otlp-grpc', { traceId: traceIdFor(8, 0, 1), spans: 1, service: 'x' })).status, 'grpc:8');
    assert.equal((await fetch(`${backend.addresses.query}/api/search`)).status, 200);
  });
});
