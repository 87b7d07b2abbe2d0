// Durability: many exporters over every protocol write to a real `zeroscope up`, which is
// SIGKILLed mid-stream (writes in flight) twice; after each restart every batch that was
// acknowledged must be there, span for span, and the store must open (it checks itself on start).
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { startBackendProcess, type BackendProcess } from './lib/backend-process.ts';
import { PROTOCOLS, rawGrpcClient, sendBatch, storedSpanCount, traceIdFor, type Batch } from './lib/traces.ts';

const SENDERS_PER_PROTOCOL = 2;
const SPANS_PER_BATCH = 20;
/** Acks to collect before the kill, per round. */
const ACKS_BEFORE_KILL = 80;

/** Runs senders until the backend dies; resolves with every acknowledged batch. */
async function writeUntilKilled(backend: BackendProcess, round: number): Promise<Batch[]> {
  const grpc = rawGrpcClient(backend.addresses.otlpGrpc);
  const targets = { otlpHttp: backend.addresses.otlpHttp, zipkin: backend.addresses.zipkin, grpc };
  const acked: Batch[] = [];
  const senders = PROTOCOLS.flatMap((protocol, p) =>
    Array.from({ length: SENDERS_PER_PROTOCOL }, async (_, s) => {
      const sender = p * SENDERS_PER_PROTOCOL + s;
      for (let n = 0; backend.alive(); n++) {
        const batch: Batch = { traceId: traceIdFor(round, sender, n), spans: SPANS_PER_BATCH, service: `durable-${protocol}` };
        const result = await sendBatch(targets, protocol, batch, 10_000);
        if (result.acked) acked.push(batch);
        // SIGKILL mid-stream: the other senders' writes are still in flight at this moment.
        if (acked.length === ACKS_BEFORE_KILL) backend.child.kill('SIGKILL');
      }
    }),
  );
  await Promise.all(senders);
  grpc.close();
  assert.equal((await backend.exited).signal, 'SIGKILL');
  return acked;
}

describe('durability (child process, SIGKILL mid-stream)', () => {
  it('keeps every acknowledged span across two kills and restarts', async (t) => {
    const dataDir = await mkdtemp(join(tmpdir(), 'zeroscope-durable-'));
    t.after(() => rm(dataDir, { recursive: true, force: true }));
    const acked: Batch[] = [];
    for (let round = 1; round <= 2; round++) {
      const backend = await startBackendProcess({ dataDir });
      t.after(() => backend.stop('SIGKILL'));
      acked.push(...(await writeUntilKilled(backend, round)));
    }
    const protocols = new Set(acked.map((b) => b.service));
    assert.equal(protocols.size, PROTOCOLS.length, 'every protocol got acknowledgements');

    const backend = await startBackendProcess({ dataDir });
    t.after(() => backend.stop());
    assert.doesNotMatch(backend.output(), /self-check repaired/);
    const missing: string[] = [];
    for (let i = 0; i < acked.length; i += 16) {
      await Promise.all(
        acked.slice(i, i + 16).map(async (b) => {
          const n = await storedSpanCount(backend.addresses.query, b.traceId);
          if (n !== b.spans) missing.push(`${b.traceId} (${b.service}): ${n}/${b.spans}`);
        }),
      );
    }
    assert.deepEqual(missing, [], `${missing.length} of ${acked.length} acknowledged batches lost`);
    assert.ok(acked.length >= 2 * ACKS_BEFORE_KILL);
  });
});
