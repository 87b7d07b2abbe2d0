/**
 * Log lines to a file descriptor as bytes, batched and asynchronous: each line is encoded once,
 * straight into a reused 64 KB buffer (`buffer.write`), and a batch goes out with one `fs.write` when
 * it reaches `batchBytes` (or `flushEveryMs` passed), never blocking the line's caller on a slow
 * pipe or disk. Written by hand in place of sonic-boom, whose `write` measures the byte length of
 * its whole pending string for every line (flattening it first): ~2.7 µs of CPU a line against
 * ~0.25 µs here (src/log/testdata/access-line-bench.ts, README).
 *
 * Exit: `flushSync()` writes what is queued with `fs.writeSync` (the process's exit hook calls it,
 * a crash included). A batch already handed to `fs.write` belongs to libuv's thread pool: it is not
 * written twice, and may land after the lines flushSync writes (sonic-boom, used before, behaved
 * the same). EAGAIN (a non-blocking pipe that is full) is retried; EPIPE (the reader went
 * away) stops writing; any other error is reported once on stderr and the batch dropped.
 *
 * Memory is bounded: while a reader that does not keep up (a stalled pipe, a full disk's retries)
 * holds `maxPendingBytes` unwritten, new lines are dropped and counted instead of queued, and the
 * count is reported once the backlog is written, so a stuck log reader cannot grow the process
 * without limit.
 */
import { write as fsWrite, writeSync } from 'node:fs';

const CHUNK_BYTES = 64 * 1024;
/** Unwritten bytes beyond which lines are dropped (and counted) rather than queued. */
const MAX_PENDING_BYTES = 16 * 1024 * 1024;
const RETRY_MS = 10;
const SYNC_RETRIES = 100;

/** What the log package needs of a destination: pino's `write`, and the two flushes. */
export interface FdWriter {
  write(line: string): void;
  /** Starts writing what is buffered; `done` runs once all of it has been written. */
  flush(done?: (err?: Error) => void): void;
  /** Writes out everything not yet handed to the kernel, synchronously (safe at exit). */
  flushSync(): void;
}

export interface FdWriterOptions {
  /** Bytes gathered before a write starts. */
  batchBytes: number;
  /** A quiet writer still writes what it holds this often. */
  flushEveryMs: number;
  /** Unwritten bytes beyond which new lines are dropped and counted (default 16 MiB). */
  maxPendingBytes?: number;
  /** Told once about a failing write, and about lines dropped while the reader lagged; default stderr. */
  warn?: (message: string) => void;
}

interface Chunk {
  buffer: Buffer;
  length: number;
  /** Bytes of it already written (a partial write continues from here). */
  offset: number;
}

/** A writer of lines to `fd` (1 for stdout, or an opened file). */
export function fdWriter(fd: number, options: FdWriterOptions): FdWriter {
  let current: Buffer = Buffer.allocUnsafe(CHUNK_BYTES);
  let length = 0;
  let spare: Buffer | undefined;
  const queue: Chunk[] = [];
  let writing: Chunk | undefined;
  let retry: NodeJS.Timeout | undefined;
  let broken = false;
  let warned = false;
  let idleWaiters: Array<(err?: Error) => void> = [];
  const maxPending = options.maxPendingBytes ?? MAX_PENDING_BYTES;
  /** Bytes in `queue` (and the chunk being written) not yet written. */
  let queuedBytes = 0;
  /** Lines dropped since the backlog last emptied. */
  let dropped = 0;
  const warn = options.warn ?? ((message: string) => process.stderr.write(`[zeroscope/log] ${message}\n`));

  const reportDropped = () => {
    if (dropped === 0) return;
    warn(`${dropped} log line(s) to fd ${fd} were dropped: its reader fell more than ${maxPending} bytes behind`);
    dropped = 0;
  };

  const enqueue = (chunk: Chunk) => {
    queue.push(chunk);
    queuedBytes += chunk.length;
  };

  const seal = () => {
    if (length === 0) return;
    enqueue({ buffer: current, length, offset: 0 });
    current = spare ?? Buffer.allocUnsafe(CHUNK_BYTES);
    spare = undefined;
    length = 0;
  };

  const settle = () => {
    if (writing !== undefined || queue.length > 0 || length > 0 || idleWaiters.length === 0) return;
    const waiters = idleWaiters;
    idleWaiters = [];
    for (const done of waiters) done();
  };

  const fail = (err: NodeJS.ErrnoException) => {
    if (err.code === 'EPIPE') {
      // Nobody reads any more (`service | head`): drop what is left, as pino's destination does.
      broken = true;
      queue.length = 0;
      queuedBytes = 0;
      length = 0;
    } else if (!warned) {
      warned = true;
      warn(`writing log lines to fd ${fd} failed: ${err.message}; the lines of that batch are dropped`);
    }
  };

  const kick = () => {
    if (writing !== undefined || retry !== undefined || broken) return;
    if (queue.length === 0) seal();
    writing = queue.shift();
    if (writing === undefined) return settle();
    const chunk = writing;
    fsWrite(fd, chunk.buffer, chunk.offset, chunk.length - chunk.offset, null, (err, written) => {
      if (err !== null) {
        if (err.code === 'EAGAIN') {
          // Back in the queue (an exit's flushSync writes it), tried again shortly.
          writing = undefined;
          queue.unshift(chunk);
          retry = setTimeout(() => {
            retry = undefined;
            kick();
          }, RETRY_MS);
          retry.unref();
          return;
        }
        fail(err);
      } else if (chunk.offset + written < chunk.length) {
        chunk.offset += written;
        queuedBytes -= written;
        writing = undefined;
        queue.unshift(chunk);
        return kick();
      }
      // Written, or dropped with its batch on an error (an EPIPE has emptied the count already).
      if (!broken) queuedBytes -= chunk.length - chunk.offset;
      writing = undefined;
      if (queue.length === 0) reportDropped();
      if (chunk.buffer.length === CHUNK_BYTES) spare = chunk.buffer;
      // Go on while batches wait, or while a flush waits for the rest.
      if (queue.length > 0 || length >= options.batchBytes || (length > 0 && idleWaiters.length > 0)) kick();
      else settle();
    });
  };

  setInterval(() => {
    if (length > 0 || queue.length > 0) kick();
  }, options.flushEveryMs).unref();

  return {
    write(line) {
      if (broken) return;
      if (queuedBytes + length >= maxPending) {
        dropped++;
        return;
      }
      // A UTF-16 unit is at most 3 bytes of UTF-8: most lines fit without measuring them.
      if (line.length * 3 > CHUNK_BYTES - length) {
        const bytes = Buffer.byteLength(line);
        if (bytes > CHUNK_BYTES - length) {
          seal();
          if (bytes > CHUNK_BYTES) {
            enqueue({ buffer: Buffer.from(line), length: bytes, offset: 0 });
            return kick();
          }
        }
      }
      length += current.write(line, length);
      if (length >= options.batchBytes && writing === undefined) kick();
    },
    flush(done) {
      if (done !== undefined) idleWaiters.push(done);
      kick();
      settle();
    },
    flushSync() {
      seal();
      // A reader that never drains the pipe holds an exit up at most SYNC_RETRIES × RETRY_MS in all.
      let retries = 0;
      while (queue.length > 0 && !broken) {
        const chunk = queue[0]!;
        const unwritten = chunk.length - chunk.offset;
        while (chunk.offset < chunk.length) {
          try {
            chunk.offset += writeSync(fd, chunk.buffer, chunk.offset, chunk.length - chunk.offset);
          } catch (err) {
            const code = (err as NodeJS.ErrnoException).code;
            if (code === 'EAGAIN' && retries++ < SYNC_RETRIES) {
              Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, RETRY_MS);
              continue;
            }
            fail(err as NodeJS.ErrnoException);
            break;
          }
        }
        if (!broken) queuedBytes -= unwritten;
        queue.shift();
      }
      reportDropped();
    },
  };
}
