// A real full disk (issue 17, case 1): the backend process on a 100 MiB tmpfs, mounted by the
// test as root, filled until little is free, then hit by concurrent 3 MB exports. Every write
// that cannot be made durable must answer 507 (gRPC RESOURCE_EXHAUSTED) whatever error lmdb
// raises, the process must stay up and keep serving reads, and writes must work again once
// space frees. Skipped (with the reason) where the test cannot mount.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, statfs, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { protobufRequest } from '../../packages/cli/src/backend/otlp/testing/trace-builder.ts';
import { startBackendProcess } from './lib/backend-process.ts';
import { rawGrpcClient, storedSpanCount } from './lib/traces.ts';

const MiB = 1024 * 1024;

function canMount(): string | undefined {
  if (process.platform !== 'linux') return 'needs Linux tmpfs';
  if (process.getuid?.() !== 0) return 'needs root to mount a tmpfs';
  return undefined;
}

/** One trace of `spans` spans, each with a `payloadBytes` attribute of random (incompressible) text. */
function bigExport(traceId: string, spans: number, payloadBytes: number): Buffer {
  const now = BigInt(Date.now()) * 1_000_000n;
  return Buffer.from(
    protobufRequest([
      {
        service: 'filler',
        spans: Array.from({ length: spans }, (_, i) => ({
          traceId,
          spanId: (i + 1).toString(16).padStart(16, '0'),
          name: 'big',
          start: now,
          end: now + 1000n,
          attributes: { payload: randomBytes(payloadBytes * 0.75).toString('base64') },
        })),
      },
    ]),
  );
}

const traceId = (n: number): string => `d15cf011${n.toString(16).padStart(24, '0')}`;

describe('a real full disk (tmpfs)', { skip: canMount() }, () => {
  it('answers 507 to every write it cannot make durable, stays up, serves reads, and takes writes again once space frees', async (t) => {
    const mountPoint = await mkdtemp(join(tmpdir(), 'zeroscope-tmpfs-'));
    try {
      execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=100m', 'tmpfs', mountPoint], { stdio: 'pipe' });
    } catch (err) {
      // A container without CAP_SYS_ADMIN: say so rather than fail on the environment.
      await rm(mountPoint, { recursive: true, force: true });
      t.skip(`cannot mount a tmpfs here: ${String((err as Error).message).split('\n')[0]}`);
      return;
    }
    t.after(async () => {
      execFileSync('umount', ['-l', mountPoint]);
      await rm(mountPoint, { recursive: true, force: true });
    });
    const dataDir = join(mountPoint, 'data');
    // A floor well under what the exports need, so lmdb's own commit is what meets the full disk.
    const backend = await startBackendProcess({ dataDir, args: ['--min-free-disk', '2MiB'] });
    const grpc = rawGrpcClient(backend.addresses.otlpGrpc);
    t.after(async () => {
      grpc.close();
      await backend.stop('SIGKILL');
    });
    const url = `${backend.addresses.otlpHttp}/v1/traces`;

    // Fill the disk to about 40 MiB free.
    const free = async (): Promise<number> => { const s = await statfs(mountPoint); return s.bavail * s.bsize; };
    const filler = join(mountPoint, 'filler');
    await writeFile(filler, Buffer.alloc(Math.max(0, (await free()) - 40 * MiB)));

    const answers: string[] = [];
    const acked: string[] = [];
    let n = 0;
    for (let round = 0; round < 12 && backend.alive(); round++) {
      // Six concurrent 3 MB exports (four over HTTP, two over gRPC).
      await Promise.all(Array.from({ length: 6 }, async (_, i) => {
        const id = traceId(n++);
        const body = bigExport(id, 3, MiB);
        let status: string;
        if (i < 4) {
          const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/x-protobuf' }, body: new Uint8Array(body) }).catch((e: Error) => e);
          status = res instanceof Error ? `error:${res.message}` : String(res.status);
          if (!(res instanceof Error)) await res.arrayBuffer();
        } else {
          status = `grpc:${(await grpc.call(body)).code}`;
        }
        answers.push(status);
        if (status === '200' || status === 'grpc:0') acked.push(id);
      }));
    }
    const unexpected = answers.filter((a) => !['200', '507', 'grpc:0', 'grpc:8'].includes(a));
    assert.deepEqual(unexpected, [], `every answer is a success or 507 / RESOURCE_EXHAUSTED: ${answers.join(' ')}\n${backend.output().slice(-3000)}`);
    assert.ok(backend.alive(), `the backend is still running:\n${backend.output().slice(-3000)}`);
    assert.ok(answers.includes('507'), `the disk filled and HTTP got 507: ${answers.join(' ')}`);
    assert.ok(answers.includes('grpc:8'), `gRPC got RESOURCE_EXHAUSTED: ${answers.join(' ')}`);
    assert.ok(acked.length > 0, 'some exports fit before the disk filled');

    // Reads keep working, and every acknowledged export is there.
    const q = backend.addresses.query;
    for (const id of [acked[0]!, acked.at(-1)!]) assert.equal(await storedSpanCount(q, id), 3);
    const search = await fetch(`${q}/api/search?q=${encodeURIComponent('{ resource.service.name = "filler" }')}&limit=100`);
    assert.equal(search.status, 200);
    assert.equal(((await search.json()) as { traces: unknown[] }).traces.length, Math.min(acked.length, 100));

    // Space returns: the same kind of write succeeds again, on both protocols.
    await rm(filler);
    const again = bigExport(traceId(n++), 1, 64 * 1024);
    const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/x-protobuf' }, body: new Uint8Array(again) });
    assert.equal(res.status, 200, await res.text());
    assert.equal((await grpc.call(bigExport(traceId(n++), 1, 64 * 1024))).code, 0);
    console.log(`# full disk: ${acked.length} exports acknowledged, answers ${JSON.stringify(countBy(answers))}`);
  });
});

function countBy(values: string[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const v of values) out[v] = (out[v] ?? 0) + 1;
  return out;
}
