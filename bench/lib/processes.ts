/**
 * Child processes of a benchmark run, tracked so that none outlives the run: every child is
 * killed when the bench exits, however it exits (normal end, thrown error, SIGINT, SIGTERM).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { connect } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';

const live = new Set<ChildProcess>();
let hooksInstalled = false;

function installHooks(): void {
  if (hooksInstalled) return;
  hooksInstalled = true;
  // 'exit' handlers must be synchronous: SIGKILL is the only thing that cannot be ignored or delayed.
  process.on('exit', () => {
    for (const child of live) child.kill('SIGKILL');
  });
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.on(signal, () => {
      for (const child of live) child.kill('SIGKILL');
      process.stderr.write(`\nbench: ${signal}, children stopped\n`);
      process.exit(130);
    });
  }
}

/** A started child with its output kept (the last few KB) for error messages. */
export interface Child {
  readonly name: string;
  readonly pid: number;
  readonly process: ChildProcess;
  /** All stdout so far (capped). */
  stdout(): string;
  /** All stderr so far (capped). */
  stderr(): string;
  /** Resolves with the first stdout match of `pattern`; rejects if the child exits first. */
  waitForOutput(pattern: RegExp, timeoutMs?: number): Promise<RegExpMatchArray>;
  /** SIGTERM, then SIGKILL after `graceMs`; resolves once the child has exited. */
  stop(graceMs?: number): Promise<void>;
  /** Resolves with the exit code once the child exits. */
  readonly exited: Promise<number | null>;
}

export interface SpawnOptions {
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  /** Keep at most this many characters of each stream (default 64 KiB). */
  keepChars?: number;
}

/** Environment of the bench process without any OTEL_* variable, so a child sees only what we give it. */
export function cleanEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) if (!key.startsWith('OTEL_')) env[key] = value;
  return { ...env, ...extra };
}

/**
 * The last `keep` characters of a stream, kept as chunks and joined only when read: a child that
 * logs every request must not cost the bench process a 64 KB string copy per chunk (the bench
 * shares the cores with the services it measures).
 */
class OutputTail {
  private chunks: string[] = [];
  private length = 0;

  constructor(private readonly keep: number) {}

  push(chunk: string): void {
    this.chunks.push(chunk);
    this.length += chunk.length;
    while (this.chunks.length > 1 && this.length - this.chunks[0]!.length >= this.keep) this.length -= this.chunks.shift()!.length;
  }

  text(): string {
    if (this.chunks.length > 1) this.chunks = [this.chunks.join('')];
    return (this.chunks[0] ?? '').slice(-this.keep);
  }
}

/** Spawns `command args` as a tracked child; its output is drained so a full pipe never blocks it. */
export function startChild(name: string, command: string, args: string[], options: SpawnOptions = {}): Child {
  installHooks();
  const keep = options.keepChars ?? 65_536;
  const proc = spawn(command, args, { env: options.env ?? cleanEnv(), cwd: options.cwd, stdio: ['ignore', 'pipe', 'pipe'] });
  if (proc.pid === undefined) throw new Error(`could not start ${name}`);
  live.add(proc);
  const out = new OutputTail(keep);
  const err = new OutputTail(keep);
  const waiters: Array<() => void> = [];
  proc.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
    out.push(chunk);
    if (waiters.length > 0) for (const w of waiters.splice(0)) w();
  });
  proc.stderr!.setEncoding('utf8').on('data', (chunk: string) => err.push(chunk));
  const exited = new Promise<number | null>((resolve) => {
    proc.on('exit', (code) => {
      live.delete(proc);
      for (const w of waiters.splice(0)) w();
      resolve(code);
    });
  });
  let hasExited = false;
  void exited.then(() => (hasExited = true));

  const child: Child = {
    name,
    pid: proc.pid,
    process: proc,
    stdout: () => out.text(),
    stderr: () => err.text(),
    exited,
    waitForOutput(pattern, timeoutMs = 30_000) {
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`${name}: no ${pattern} within ${timeoutMs} ms\n${tail(err.text() || out.text())}`)), timeoutMs);
        const check = () => {
          const match = out.text().match(pattern);
          if (match) {
            clearTimeout(timer);
            resolve(match);
          } else if (hasExited || proc.exitCode !== null) {
            clearTimeout(timer);
            reject(new Error(`${name} exited (${proc.exitCode}) before printing ${pattern}\n${tail(err.text() || out.text())}`));
          } else waiters.push(check);
        };
        check();
      });
    },
    async stop(graceMs = 5000) {
      if (proc.exitCode !== null || proc.signalCode !== null) return;
      proc.kill('SIGTERM');
      const timer = setTimeout(() => proc.kill('SIGKILL'), graceMs);
      await exited;
      clearTimeout(timer);
    },
  };
  return child;
}

/**
 * `node <script> ...args` as a tracked child; a `.ts` script runs through tsx (in-process: no
 * grandchild), with the `zeroscope-source` condition so its `zeroscope/*` imports are sources too.
 */
export function startNodeScript(
  name: string,
  script: string,
  args: string[] = [],
  options: SpawnOptions & { preload?: string[]; nodeArgs?: string[]; /** The node binary (default: the bench's own). */ execPath?: string } = {},
): Child {
  const loader = script.endsWith('.ts') ? ['tsx'] : [];
  const conditions = script.endsWith('.ts') ? ['--conditions=zeroscope-source'] : [];
  const imports = [...conditions, ...[...loader, ...(options.preload ?? [])].flatMap((m) => ['--import', m])];
  return startChild(name, options.execPath ?? process.execPath, [...(options.nodeArgs ?? []), ...imports, script, ...args], options);
}

/** The last lines of a child's output, for error messages. */
export function tail(text: string, lines = 15): string {
  return text.trimEnd().split('\n').slice(-lines).join('\n');
}

/** Resolves once `host:port` accepts a TCP connection; rejects when `child` exits or on timeout. */
export async function waitForPort(port: number, child?: Child, timeoutMs = 60_000, host = '127.0.0.1', pollMs = 100): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (child && child.process.exitCode !== null) {
      throw new Error(`${child.name} exited (${child.process.exitCode}) before listening on ${port}\n${tail(child.stderr() || child.stdout())}`);
    }
    const ok = await new Promise<boolean>((resolve) => {
      const socket = connect({ port, host });
      socket.once('connect', () => {
        socket.destroy();
        resolve(true);
      });
      socket.once('error', () => resolve(false));
    });
    if (ok) return;
    if (Date.now() > deadline) throw new Error(`nothing listening on ${host}:${port} after ${timeoutMs} ms`);
    await sleep(pollMs);
  }
}

/** Stops `children` (SIGTERM, then SIGKILL after a grace period). */
export async function stopAll(children: Iterable<Child>): Promise<void> {
  await Promise.all([...children].map((c) => c.stop()));
}

/** Kills any tracked child still alive (after a bench, in case one slipped past its own cleanup); resolves with how many. */
export async function killStragglers(): Promise<number> {
  const left = [...live];
  await Promise.all(
    left.map((proc) => new Promise<void>((resolve) => {
      proc.once('exit', () => resolve());
      proc.kill('SIGKILL');
    })),
  );
  return left.length;
}
