import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, describe, test } from 'node:test';
import { logAccess } from './access-log.ts';
import { LogSchema } from './config.ts';
import { setUpLogging, shutdownLogging } from './logger.ts';
import { captureLines } from './testing/index.ts';

// node --test runs each file in its own process, so this file owns the process logger.
describe('logAccess with the OTLP export on', () => {
  const bodies: string[] = [];
  const server = createServer((req, res) => {
    let raw = '';
    req.on('data', (chunk: Buffer) => (raw += chunk.toString()));
    req.on('end', () => {
      const parsed = JSON.parse(raw) as { resourceLogs: { scopeLogs: { logRecords: { body: { stringValue: string } }[] }[] }[] };
      for (const rl of parsed.resourceLogs) for (const sl of rl.scopeLogs) for (const r of sl.logRecords) bodies.push(r.body.stringValue);
      res.setHeader('content-type', 'application/json');
      res.end('{}');
    });
  });
  after(() => new Promise<void>((done) => server.close(() => done())));

  test('every line reaches the destination; only failed and slow ones are exported (the hand-built line skips the tee)', async () => {
    await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
    const endpoint = `127.0.0.1:${(server.address() as AddressInfo).port}`;
    const sink = captureLines();
    setUpLogging(LogSchema.parse({ SlowThreshold: 50 }), { serviceName: 'order', destination: sink.stream, otlp: { endpoint, serviceName: 'order', encoding: 'json' } });
    const base = { kind: 'http', method: 'GET', route: '/r/:n' } as const;
    logAccess({ ...base, path: '/r/1', status: 200, durationMs: 1, outcome: 'success' });
    logAccess({ ...base, path: '/r/2', status: 404, durationMs: 1, outcome: 'client-error' });
    logAccess({ ...base, path: '/r/3', status: 200, durationMs: 60, outcome: 'success' });
    logAccess({ kind: 'rpc', method: 'user.User/GetUser', status: 0, code: 'OK', durationMs: 2, outcome: 'success' });
    await shutdownLogging();
    assert.deepEqual(sink.lines().map((l) => [l.level, l.msg]), [
      ['info', 'GET /r/1 200'],
      ['error', 'GET /r/2 404'],
      ['warn', 'slowcall GET /r/3 200'],
      ['info', 'user.User/GetUser OK'],
    ]);
    assert.deepEqual(bodies, ['GET /r/2 404', 'slowcall GET /r/3 200']);
  });
});
