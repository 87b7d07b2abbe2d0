import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { after, describe, it } from 'node:test';
import { startOtlpHttpReceiver } from '../trace/testing/receivers.ts';
import { onShutdownSignals, ServiceGroup } from './index.ts';

const CHILD = fileURLToPath(new URL('./testdata/signal-child.ts', import.meta.url));

describe('onShutdownSignals', () => {
  it('SIGTERM stops the group, flushes every span and exits 0 (real child process)', async () => {
    const receiver = await startOtlpHttpReceiver();
    after(() => receiver.close());
    const child = spawn(process.execPath, ['--import', 'tsx', CHILD, receiver.endpoint], { stdio: ['ignore', 'pipe', 'pipe'] });
    after(() => child.kill('SIGKILL'));
    let stdout = '';
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const exited = once(child, 'exit');
    await new Promise<void>((resolve, reject) => {
      child.stdout.on('data', (d: Buffer) => {
        stdout += d.toString();
        if (stdout.includes('ready\n')) resolve();
      });
      child.on('exit', () => reject(new Error(`child exited early: ${stderr}`)));
    });
    child.kill('SIGTERM');
    const [code] = (await exited) as [number | null];
    assert.equal(code, 0, stderr);
    assert.match(stdout, /stopped\n/);
    const names = receiver.spans().map((s) => s.name).sort();
    assert.deepEqual(names, ['in-flight-request', 'request-0', 'request-1', 'request-2', 'request-3', 'request-4']);
    assert.ok(receiver.spans().every((s) => s.service === 'signal-child'));
  });

  it('exits 1 when stopping fails, and a second signal exits at once', async () => {
    const codes: number[] = [];
    const group = new ServiceGroup().add({ start: async () => {}, stop: async () => { throw new Error('stuck'); } });
    await group.start();
    const dispose = onShutdownSignals(group, { signals: ['SIGUSR2'], exit: (c) => codes.push(c) });
    after(dispose);
    const quiet = silenceConsole();
    process.emit('SIGUSR2', 'SIGUSR2');
    process.emit('SIGUSR2', 'SIGUSR2');
    await new Promise((r) => setImmediate(r));
    await group.stop().catch(() => undefined);
    await new Promise((r) => setImmediate(r));
    quiet();
    assert.deepEqual(codes, [1, 1]);
  });
});

function silenceConsole(): () => void {
  const saved = { info: console.info, warn: console.warn, error: console.error };
  console.info = console.warn = console.error = () => {};
  return () => Object.assign(console, saved);
}
