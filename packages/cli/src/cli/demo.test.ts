import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { main } from './main.ts';
import { memoryIo } from './testing/index.ts';

const FREE_PORTS = ['--otlp-http-port', '0', '--otlp-grpc-port', '0', '--zipkin-port', '0', '--query-port', '0', '--order-port', '0', '--user-port', '0'];

describe('zeroscope demo', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'zeroscope-demo-test-'));
  after(() => rmSync(dataDir, { recursive: true, force: true }));

  test('--once runs backend + both services, and both traces are stored with 3 spans', async () => {
    const io = memoryIo();
    const code = await main(['demo', '--once', '--data-dir', dataDir, ...FREE_PORTS], io);
    const out = io.stdout.join('\n');
    assert.equal(code, 0, `${out}\n${io.stderr.join('\n')}`);
    assert.match(out, /GET \/api\/order\/1 → 200 {3}trace [0-9a-f]{32} \(3 spans\)/);
    assert.match(out, /GET \/api\/order\/999 → 404 {3}trace [0-9a-f]{32} \(3 spans\)/);
    assert.match(out, /open http:\/\/127\.0\.0\.1:\d+\/trace\/[0-9a-f]{32}/);
    assert.match(out, /demo stopped/);
    assert.deepEqual(io.stderr, []);
  });

  test('keeps running until stopped, then stops services and backend', async () => {
    const io = memoryIo();
    const done = main(['demo', '--data-dir', dataDir, ...FREE_PORTS], io);
    while (!io.stdout.some((l) => l.includes('Press Ctrl+C'))) await new Promise((r) => setTimeout(r, 50));
    const order = /order-api {2}listening on (\S+),/.exec(io.stdout.join('\n'))![1]!;
    assert.equal((await fetch(`${order}/api/order/2`)).status, 200, 'services keep serving');
    io.stop('SIGINT');
    assert.equal(await done, 0);
    await assert.rejects(fetch(`${order}/api/order/2`), 'order-api is stopped');
  });

  test('a bad port flag is a usage error', async () => {
    const io = memoryIo();
    assert.equal(await main(['demo', '--order-port', 'eighty'], io), 2);
    assert.match(io.stderr.join('\n'), /--order-port must be a port number/);
  });
});
