import { mkdirSync, openSync } from 'node:fs';
import { join } from 'node:path';
import pino, { type DestinationStream, type StreamEntry } from 'pino';
import type { LogConf } from './config.ts';
import { LogError } from './errors.ts';
import { type FdWriter, fdWriter } from './fd-writer.ts';
import { plainStream } from './plain-stream.ts';

/** A destination the logger can flush before the process exits. */
export interface LogDestination {
  readonly stream: DestinationStream;
  /** `Encoding`: what a line written straight to {@link LogDestination.out} must be. */
  readonly encoding: LogConf['Encoding'];
  /**
   * Where a finished line of pino level `level` goes, past the encoding and the file split (the
   * access line is written there without pino, see access-line.ts).
   */
  out(level: number): DestinationStream;
  /** Writes out whatever is buffered, synchronously (safe at exit). */
  flushSync(): void;
}

/** go-zero's file mode: one file per kind of line; each line goes to the highest that fits. */
const FILES: ReadonlyArray<{ level: pino.Level; file: string }> = [
  { level: 'trace', file: 'access.log' },
  { level: 'warn', file: 'slow.log' },
  { level: 'error', file: 'error.log' },
  { level: 'fatal', file: 'severe.log' },
];


// Lines are gathered and written a few KB at a time: one write per line cost a service ~15 µs of
// CPU per request under load. A quiet process still sees each line within FLUSH_EVERY_MS, and
// whatever is buffered is written out synchronously when the process exits (a crash included).
const BATCH_BYTES = 4096;
const FLUSH_EVERY_MS = 100;
const live = new Set<FdWriter>();
let flushAtExit = false;

function flushQuietly(writer: FdWriter): void {
  try {
    writer.flushSync();
  } catch {
    // Already closed: nothing buffered that can be saved.
  }
}

/**
 * Where the lines of `conf` go. `console`: stdout. `file`: `access.log`, `slow.log`, `error.log`
 * and `severe.log` under `Path`, as go-zero writes them. Writes are asynchronous and batched
 * (fd-writer.ts: bytes, up to 4 KB or 100 ms), so a log line never blocks a request on a
 * slow pipe or disk; `flushSync()` and process exit drain them. A given `sink` replaces stdout and the files (the encoding still applies).
 * @throws LogError `LOG_ERR_PATH` when `Path` cannot be created.
 */
export function createDestination(conf: Pick<LogConf, 'Mode' | 'Encoding' | 'Path'>, sink?: DestinationStream): LogDestination {
  const plain = conf.Encoding === 'plain';
  const encode = (out: DestinationStream): DestinationStream => (plain ? plainStream(out) : out);
  if (sink !== undefined) return { stream: encode(sink), encoding: conf.Encoding, out: () => sink, flushSync() {} };
  const writers: FdWriter[] = [];
  const open = (fd: number): DestinationStream => {
    const writer = fdWriter(fd, { batchBytes: BATCH_BYTES, flushEveryMs: FLUSH_EVERY_MS });
    writers.push(writer);
    live.add(writer);
    if (!flushAtExit) {
      flushAtExit = true;
      process.on('exit', () => live.forEach(flushQuietly));
    }
    return writer;
  };
  let stream: DestinationStream;
  let out: (level: number) => DestinationStream;
  if (conf.Mode === 'file') {
    try {
      mkdirSync(conf.Path, { recursive: true });
    } catch (err) {
      throw new LogError('LOG_ERR_PATH', `Log.Path "${conf.Path}" cannot be created: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
    }
    // Opened here, synchronously, so an exit right after set-up can flush its lines (sonic-boom,
    // used before, opened a path asynchronously: lines written before that were lost at exit).
    const files = FILES.map(({ level, file }) => ({ level, out: open(openFile(join(conf.Path, file))) }));
    const entries: StreamEntry[] = files.map(({ level, out }) => ({ level, stream: encode(out) }));
    stream = pino.multistream(entries, { dedupe: true });
    // As multistream's dedupe does: the file of the highest level the line reaches.
    out = (level) => {
      let chosen = files[0]!.out;
      for (const file of files) if (pino.levels.values[file.level]! <= level) chosen = file.out;
      return chosen;
    };
  } else {
    const stdout = open(1);
    stream = encode(stdout);
    out = () => stdout;
  }
  return {
    stream,
    encoding: conf.Encoding,
    out,
    flushSync() {
      writers.forEach(flushQuietly);
    },
  };
}

function openFile(path: string): number {
  try {
    return openSync(path, 'a');
  } catch (err) {
    throw new LogError('LOG_ERR_PATH', `log file "${path}" cannot be opened: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
  }
}
