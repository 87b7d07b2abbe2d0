/**
 * `zeroscope up` as a child process on free ports with a temp data dir, so a crash, a hang or a
 * memory blow-up of the backend is seen from outside, the way a user would see it.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const BIN = fileURLToPath(new URL('../../../packages/cli/bin/zeroscope.js', import.meta.url));

/** Where the child listens. */
export interface ChildAddresses {
  otlpHttp: string;
  otlpGrpc: string;
  zipkin: string;
  query: string;
}

/** A running `zeroscope up`. */
export interface BackendProcess {
  readonly child: ChildProcess;
  readonly addresses: ChildAddresses;
  output(): string;
  /** True until the process exits. */
  alive(): boolean;
  /** The kernel's peak resident set (VmHWM), in bytes; NaN off Linux. */
  peakRssBytes(): number;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Sends `signal` (default SIGTERM) and waits for the exit. */
  stop(signal?: NodeJS.Signals): Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** Options of {@link startBackendProcess}. */
export interface StartProcessOptions {
  dataDir: string;
  /** Extra flags for `up`. */
  args?: string[];
  /** Extra environment (ZEROSCOPE_* of the parent are removed first). */
  env?: Record<string, string>;
  timeoutMs?: number;
}

/** Reads a `/proc/<pid>/status` field in kB as bytes. */
function procStatusBytes(pid: number | undefined, field: string): number {
  if (pid === undefined) return NaN;
  try {
    const m = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) * 1024 : NaN;
  } catch {
    return NaN;
  }
}

/** Runs `zeroscope up <args>` and resolves once it printed its addresses; rejects if it exits first. */
export function spawnUp(args: string[], env: Record<string, string> = {}): { child: ChildProcess; output: () => string; exited: BackendProcess['exited'] } {
  const childEnv: NodeJS.ProcessEnv = { ...process.env };
  for (const key of Object.keys(childEnv)) if (key.startsWith('ZEROSCOPE_')) delete childEnv[key];
  const child = spawn(process.execPath, [BIN, 'up', ...args], { env: { ...childEnv, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout!.setEncoding('utf8').on('data', (c: string) => (out += c));
  child.stderr!.setEncoding('utf8').on('data', (c: string) => (out += c.length > 4000 ? `${c.slice(0, 4000)}…\n` : c));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  return { child, output: () => out, exited };
}

/**
 * Starts the backend on free ports.
 * @example
 * const backend = await startBackendProcess({ dataDir });
 * await fetch(`${backend.addresses.query}/ready`);
 */
export async function startBackendProcess(options: StartProcessOptions): Promise<BackendProcess> {
  const ports = ['--otlp-http-port', '0', '--otlp-grpc-port', '0', '--zipkin-port', '0', '--query-port', '0'];
  const { child, output, exited } = spawnUp(['--data-dir', options.dataDir, ...ports, ...(options.args ?? [])], options.env);
  let running = true;
  void exited.then(() => (running = false));
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`zeroscope up did not start:\n${output()}`)), options.timeoutMs ?? 60_000);
    const check = (): void => {
      if (!output().includes('Press Ctrl+C')) return;
      clearTimeout(timer);
      child.stdout!.off('data', check);
      resolve();
    };
    child.stdout!.on('data', check);
    void exited.then(() => {
      clearTimeout(timer);
      reject(new Error(`zeroscope up exited early:\n${output()}`));
    });
  });
  const text = output();
  const pick = (re: RegExp): string => {
    const m = re.exec(text);
    if (!m) throw new Error(`no address for ${re} in:\n${text}`);
    return m[1]!;
  };
  const addresses: ChildAddresses = {
    otlpHttp: pick(/OTLP\/HTTP\s+(http:\/\/\S+)\/v1\/traces/),
    otlpGrpc: pick(/OTLP\/gRPC\s+(\S+)/),
    zipkin: pick(/Zipkin\s+(http:\/\/\S+)\/api\/v2\/spans/),
    query: pick(/Tempo API\s+(http:\/\/\S+)/),
  };
  return {
    child,
    addresses,
    output,
    alive: () => running,
    peakRssBytes: () => procStatusBytes(child.pid, 'VmHWM'),
    exited,
    async stop(signal: NodeJS.Signals = 'SIGTERM') {
      if (running) child.kill(signal);
      return exited;
    },
  };
}
