import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { closeSync, constants, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { fdWriter } from './fd-writer.ts';

const dir = mkdtempSync(join(tmpdir(), 'zeroscope-fdwriter-'));
after(() => rmSync(dir, { recursive: true, force: true }));
let files = 0;

/** Lines of every size: tiny, multi-byte (2, 3 and 4 bytes a character), and larger than a chunk. */
function lines(count: number): string[] {
  return Array.from({ length: count }, (_, i) => {
    if (i % 97 === 5) return `${'é😀中'.repeat(30_000 + i)}\n`; // > 64 KB of UTF-8
    if (i % 13 === 0) return `${i} ${'€'.repeat(i % 700)}\n`;
    return `{"i":${i},"msg":"${'x'.repeat(i % 300)}"}\n`;
  });
}

/** A pipe whose reader waits `delay` (sh's sleep) before reading: its write end, and what it read once closed. */
function lateReader(delay: string): { fd: number; close(): Promise<string> } {
  const reader = spawn('sh', ['-c', `sleep ${delay}; cat`], { stdio: ['pipe', 'pipe', 'inherit'] });
  const chunks: Buffer[] = [];
  reader.stdout.on('data', (chunk: Buffer) => chunks.push(chunk));
  const closed = new Promise((done) => reader.on('close', done));
  return {
    fd: (reader.stdin as unknown as { _handle: { fd: number } })._handle.fd,
    async close() {
      reader.stdin.end();
      await closed;
      return Buffer.concat(chunks).toString('utf8');
    },
  };
}

const flushed = (writer: ReturnType<typeof fdWriter>) => new Promise<void>((done, fail) => writer.flush((err) => (err ? fail(err) : done())));

describe('fdWriter', () => {
  test('writes every line, in order, byte for byte (multi-byte, chunk boundaries, lines larger than a chunk)', async () => {
    const path = join(dir, `f${files++}`);
    const fd = openSync(path, 'a');
    const writer = fdWriter(fd, { batchBytes: 4096, flushEveryMs: 100 });
    const all = lines(800);
    for (const [i, line] of all.entries()) {
      writer.write(line);
      if (i % 50 === 0) await new Promise((done) => setImmediate(done));
    }
    await flushed(writer);
    closeSync(fd);
    assert.equal(readFileSync(path, 'utf8'), all.join(''));
  });

  test('flushSync writes out what is buffered and queued, synchronously', () => {
    const path = join(dir, `f${files++}`);
    const fd = openSync(path, 'a');
    const writer = fdWriter(fd, { batchBytes: 1 << 30, flushEveryMs: 100 });
    // No line larger than a chunk: nothing is handed to fs.write before flushSync.
    const all = lines(300).filter((line) => line.length < 10_000);
    for (const line of all) writer.write(line);
    writer.flushSync();
    assert.equal(readFileSync(path, 'utf8'), all.join(''));
    closeSync(fd);
  });

  test('flushSync while a batch is being written: every line lands (the batch in flight may land after)', async () => {
    const path = join(dir, `f${files++}`);
    const fd = openSync(path, 'a');
    const writer = fdWriter(fd, { batchBytes: 4096, flushEveryMs: 100 });
    const all = lines(300);
    for (const line of all) writer.write(line);
    writer.flushSync();
    await flushed(writer);
    closeSync(fd);
    const got = readFileSync(path, 'utf8');
    assert.equal(got.length, all.join('').length);
    assert.deepEqual(got.split('\n').sort(), all.join('').split('\n').sort());
  });

  test('a quiet writer writes within flushEveryMs', async () => {
    const path = join(dir, `f${files++}`);
    const fd = openSync(path, 'a');
    const writer = fdWriter(fd, { batchBytes: 4096, flushEveryMs: 20 });
    writer.write('one short line\n');
    const deadline = Date.now() + 5000;
    while (readFileSync(path, 'utf8') === '' && Date.now() < deadline) await new Promise((done) => setTimeout(done, 10));
    assert.equal(readFileSync(path, 'utf8'), 'one short line\n');
    closeSync(fd);
  });

  test('a full non-blocking pipe (EAGAIN, partial writes) loses and reorders nothing', async () => {
    // The reader waits before reading, so the pipe fills and the writes meet EAGAIN.
    const reader = lateReader('0.5');
    const warnings: string[] = [];
    const writer = fdWriter(reader.fd, { batchBytes: 4096, flushEveryMs: 100, warn: (m) => warnings.push(m) });
    const all = lines(1500);
    for (const [i, line] of all.entries()) {
      writer.write(line);
      if (i % 100 === 0) await new Promise((done) => setImmediate(done));
    }
    await flushed(writer);
    const got = await reader.close();
    assert.deepEqual(warnings, []);
    assert.equal(got.length, all.join('').length);
    assert.equal(got, all.join(''));
  });

  test('a reader that falls behind holds at most maxPendingBytes: later lines are dropped, counted and reported, none reordered', async () => {
    // The reader reads nothing for a second: every line below is written before the pipe drains.
    const reader = lateReader('1');
    const warnings: string[] = [];
    const maxPendingBytes = 256 * 1024;
    const writer = fdWriter(reader.fd, { batchBytes: 4096, flushEveryMs: 100, maxPendingBytes, warn: (m) => warnings.push(m) });
    const all = Array.from({ length: 40_000 }, (_, i) => `{"i":${i},"msg":"${'x'.repeat(100)}"}\n`); // ~4.6 MB
    for (const line of all) writer.write(line);
    await flushed(writer);
    // Once the backlog is written, lines are taken again.
    writer.write('caught up\n');
    await flushed(writer);
    const got = await reader.close();
    assert.ok(got.endsWith('caught up\n'), 'a line written after the backlog drained was dropped');
    const backlog = got.slice(0, -'caught up\n'.length);
    const kept = backlog.split('\n').length - 1;
    // What was kept is the lines in order, from the first; the pipe's own buffer comes on top of the bound.
    assert.equal(backlog, all.slice(0, kept).join(''));
    assert.ok(backlog.length <= maxPendingBytes + 128 * 1024, `${backlog.length} bytes were held for a reader that read nothing`);
    assert.deepEqual(warnings, [`${all.length - kept} log line(s) to fd ${reader.fd} were dropped: its reader fell more than ${maxPendingBytes} bytes behind`]);
  });

  test('at exit (flushSync) the backlog still held is written and the lines dropped before it are reported', async () => {
    const reader = lateReader('0.1');
    const warnings: string[] = [];
    const maxPendingBytes = 128 * 1024;
    const writer = fdWriter(reader.fd, { batchBytes: 4096, flushEveryMs: 100, maxPendingBytes, warn: (m) => warnings.push(m) });
    const all = Array.from({ length: 10_000 }, (_, i) => `{"i":${i},"msg":"${'y'.repeat(100)}"}\n`); // ~1.2 MB
    for (const line of all) writer.write(line);
    // As the exit hook does: synchronously, with the reader not yet reading (EAGAIN is waited out).
    writer.flushSync();
    await flushed(writer);
    const got = await reader.close();
    const kept = got.split('\n').length - 1;
    assert.ok(kept > 0 && kept < all.length, `${kept} of ${all.length} lines kept`);
    assert.deepEqual(got.split('\n').slice(0, -1).sort(), all.slice(0, kept).map((l) => l.slice(0, -1)).sort());
    assert.deepEqual(warnings, [`${all.length - kept} log line(s) to fd ${reader.fd} were dropped: its reader fell more than ${maxPendingBytes} bytes behind`]);
  });

  test('a reader that went away (EPIPE) stops the writes quietly; the caller never sees an error', async () => {
    const fifo = join(dir, `fifo${files++}`);
    execFileSync('mkfifo', [fifo]);
    const readEnd = openSync(fifo, constants.O_RDONLY | constants.O_NONBLOCK);
    const fd = openSync(fifo, constants.O_WRONLY | constants.O_NONBLOCK);
    closeSync(readEnd);
    const warnings: string[] = [];
    const writer = fdWriter(fd, { batchBytes: 16, flushEveryMs: 100, warn: (m) => warnings.push(m) });
    for (const line of lines(50)) writer.write(line);
    await flushed(writer);
    writer.write('after the pipe broke\n');
    writer.flushSync();
    assert.deepEqual(warnings, []);
    closeSync(fd);
  });

  test('any other write error is reported once, and the writer keeps going', async () => {
    const path = join(dir, `f${files++}`);
    closeSync(openSync(path, 'a'));
    const fd = openSync(path, 'r'); // not writable: EBADF
    const warnings: string[] = [];
    const writer = fdWriter(fd, { batchBytes: 16, flushEveryMs: 100, warn: (m) => warnings.push(m) });
    for (const line of lines(20)) writer.write(line);
    await flushed(writer);
    writer.flushSync();
    assert.equal(warnings.length, 1);
    assert.match(warnings[0]!, /writing log lines to fd \d+ failed: EBADF/);
    closeSync(fd);
  });
});
