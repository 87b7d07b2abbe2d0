import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ServiceError, ServiceGroup, type Server } from './index.ts';

function recorder(log: string[], name: string, fail: { start?: boolean; stop?: boolean } = {}): Server {
  return {
    async start() {
      log.push(`start ${name}`);
      if (fail.start) throw new Error(`${name} cannot start`);
    },
    async stop() {
      log.push(`stop ${name}`);
      if (fail.stop) throw new Error(`${name} cannot stop`);
    },
  };
}

describe('ServiceGroup', () => {
  it('starts in order, stops in reverse order exactly once', async () => {
    const log: string[] = [];
    const group = new ServiceGroup().add(recorder(log, 'a'), recorder(log, 'b')).add(recorder(log, 'c'));
    await group.start();
    const first = group.stop();
    const second = group.stop();
    await Promise.all([first, second, group.stop()]);
    assert.deepEqual(log, ['start a', 'start b', 'start c', 'stop c', 'stop b', 'stop a']);
  });

  it('a failed start stops the started servers and reports SERVICE_ERR_START', async () => {
    const log: string[] = [];
    const group = new ServiceGroup().add(recorder(log, 'a'), recorder(log, 'b', { start: true }), recorder(log, 'c'));
    await assert.rejects(group.start(), (e: unknown) => e instanceof ServiceError && e.code === 'SERVICE_ERR_START' && /b cannot start/.test(e.message));
    assert.deepEqual(log, ['start a', 'start b', 'stop a']);
  });

  it('asks every server to stop even when one fails, then reports SERVICE_ERR_STOP', async () => {
    const log: string[] = [];
    const group = new ServiceGroup().add(recorder(log, 'a'), recorder(log, 'b', { stop: true }), recorder(log, 'c', { stop: true }));
    await group.start();
    await assert.rejects(group.stop(), (e: unknown) => e instanceof ServiceError && e.code === 'SERVICE_ERR_STOP' && e.cause instanceof AggregateError);
    assert.deepEqual(log.slice(3), ['stop c', 'stop b', 'stop a']);
  });

  it('a stop during start waits for the starting server and starts no more', async () => {
    const log: string[] = [];
    let release!: () => void;
    const slow: Server = {
      start: () => new Promise<void>((r) => (release = () => { log.push('start slow'); r(); })),
      stop: async () => void log.push('stop slow'),
    };
    const group = new ServiceGroup().add(slow, recorder(log, 'late'));
    const started = group.start();
    await new Promise((r) => setImmediate(r));
    const stopped = group.stop();
    release();
    await Promise.all([started, stopped]);
    assert.deepEqual(log, ['start slow', 'stop slow']);
  });
});

describe('service error codes', () => {
  it('are prefixed and documented in src/conf/README.md', async () => {
    const { readFileSync } = await import('node:fs');
    const { SERVICE_ERROR_CODES } = await import('./index.ts');
    const readme = readFileSync(new URL('../conf/README.md', import.meta.url), 'utf8');
    for (const code of Object.keys(SERVICE_ERROR_CODES)) {
      assert.match(code, /^SERVICE_ERR_[A-Z_]+$/);
      assert.ok(readme.includes(code), `${code} is documented`);
    }
  });
});
