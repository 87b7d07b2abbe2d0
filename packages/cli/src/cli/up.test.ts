import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, it } from 'node:test';
import { otlpJson, protobufRequest } from '../backend/otlp/testing/trace-builder.ts';
import { main } from './main.ts';
import { memoryIo } from './testing/index.ts';

const BIN = fileURLToPath(new URL('../../bin/zeroscope.js', import.meta.url));
const TRACE = '4bf92f3577b34da6a3ce929d0e0e4736';

interface Up {
  child: ChildProcess;
  output: () => string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  otlpHttp: string;
  query: string;
}

/** Starts `zeroscope up` on free ports and waits for it to print its addresses. */
async function startUp(dataDir: string): Promise<Up> {
  const env = { ...process.env };
  for (const key of Object.keys(env)) if (key.startsWith('ZEROSCOPE_')) delete env[key];
  const child = spawn(
    process.execPath,
    [BIN, 'up', '--data-dir', dataDir, '--otlp-http-port', '0', '--otlp-grpc-port', '0', '--zipkin-port', '0', '--query-port', '0'],
    { env, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let out = '';
  child.stdout!.setEncoding('utf8').on('data', (chunk: string) => (out += chunk));
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (out += chunk));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`zeroscope up did not start:\n${out}`)), 60_000);
    const check = () => {
      if (out.includes('Press Ctrl+C')) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout!.on('data', check);
    void exited.then(() => reject(new Error(`zeroscope up exited early:\n${out}`)));
  });
  const query = /Tempo API\s+(http:\/\/\S+)/.exec(out)?.[1];
  const otlpHttp = /OTLP\/HTTP\s+(http:\/\/\S+)\/v1\/traces/.exec(out)?.[1];
  assert.ok(query && otlpHttp, out);
  return { child, output: () => out, exited, otlpHttp, query };
}

function exportRequest(): Uint8Array {
  const now = BigInt(Date.now()) * 1_000_000n;
  return protobufRequest([{ service: 'crash-test', traceId: TRACE, spanId: '00f067aa0ba902b7', name: 'acknowledged', kind: 'SERVER', start: now, end: now + 1_000_000n }]);
}

describe('zeroscope up (child process)', () => {
  it('prints its addresses, answers /ready and exits 0 on SIGTERM', async (t) => {
    const dir = await mkdtemp(join(tmpdir(), 'zeroscope-up-'));
    t.after(() => rm(dir, { recursive: true, force: true }));
    const up = await startUp(dir);
    t.after(() => up.child.kill('SIGKILL'));
    for (const label of ['OTLP/HTTP', 'OTLP/gRPC', 'Zipkin', 'Tempo API', 'UI', 'data dir']) assert.match(up.output(), new RegExp(label));
    const ready = await fetch(`${up.query}/ready`);
    assert.equal(ready.status, 200);
    assert.equal(await ready.text(), 'ready');
    up.child.kill('SIGTERM');
    const { code } = await up.exited;
    assert.equal(code, 0, up.output());
    assert.match(up.output(), /stopped/);
  });

  it('loses nothing acknowledged when killed with SIGKILL right after a 200', async (t) => {
    const dir = await mkdtemp(join(tmpdir(), 'zeroscope-up-'));
    t.after(() => rm(dir, { recursive: true, force: true }));
    const first = await startUp(dir);
    t.after(() => first.child.kill('SIGKILL'));
    const res = await fetch(`${first.otlpHttp}/v1/traces`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-protobuf' },
      body: new Uint8Array(exportRequest()),
    });
    assert.equal(res.status, 200);
    first.child.kill('SIGKILL');
    assert.equal((await first.exited).signal, 'SIGKILL');

    const second = await startUp(dir);
    t.after(async () => {
      second.child.kill('SIGTERM');
      await second.exited;
    });
    const trace = await fetch(`${second.query}/api/traces/${TRACE}`);
    assert.equal(trace.status, 200);
    const body = (await trace.json()) as any;
    assert.equal(body.batches[0].scopeSpans[0].spans[0].name, 'acknowledged');
  });

  it('import into the data dir of a running up is refused with the reason; once up is gone (even SIGKILLed) it imports', async (t) => {
    const dir = await mkdtemp(join(tmpdir(), 'zeroscope-up-'));
    t.after(() => rm(dir, { recursive: true, force: true }));
    const file = join(dir, 'spans.jsonl');
    const now = BigInt(Date.now()) * 1_000_000n;
    const line = otlpJson([{ service: 'imported', traceId: TRACE, spanId: '00f067aa0ba902b7', name: 'from-file', kind: 'SERVER', start: now, end: now + 1000n }]);
    await writeFile(file, `${JSON.stringify(line)}\n`);
    const store = join(dir, 'store');
    const up = await startUp(store);
    t.after(() => up.child.kill('SIGKILL'));

    const refused = memoryIo();
    assert.equal(await main(['import', file, '--data-dir', store], refused), 1);
    const message = refused.stderr.join('\n');
    assert.match(message, new RegExp(`is in use by another zeroscope process \\(pid ${up.child.pid}\\)`));
    assert.match(message, /stop it first, or send the spans to its OTLP\/HTTP receiver/);
    const search = (await (await fetch(`${up.query}/api/search?tags=service.name%3Dimported`)).json()) as { traces: unknown[] };
    assert.equal(search.traces.length, 0, 'nothing was written behind up');

    up.child.kill('SIGKILL');
    await up.exited;
    const accepted = memoryIo();
    assert.equal(await main(['import', file, '--data-dir', store], accepted), 0, accepted.stderr.join('\n'));
    assert.match(accepted.stdout.join('\n'), /imported 1 spans/);
  });
});
