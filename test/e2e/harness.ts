/**
 * End-to-end harness: runs the example services as real processes from YAML configs written
 * to a temp dir, and collects the spans they export with the backend's own OTLP/HTTP receiver.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { requestToQuerySpans } from '../../packages/cli/src/backend/otlp/index.ts';
import type { QuerySpan } from '../../packages/cli/src/backend/query/storage.ts';
import { createMemoryPusher, createOtlpHttpReceiver } from '../../packages/cli/src/backend/receivers/index.ts';
import { eventually } from '../lib/eventually.ts';

export const REPO = fileURLToPath(new URL('../../', import.meta.url));
export const USER_ENTRY = join(REPO, 'examples/user-rpc/user.ts');
export const ORDER_ENTRY = join(REPO, 'examples/order-api/order.ts');

/** A free TCP port on 127.0.0.1 (bound then released: good enough for tests on one machine). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

export interface Collector {
  endpoint: string;
  spans(): QuerySpan[];
  /** Resolves with the spans once at least `count` arrived; rejects after `timeoutMs`. */
  waitForSpans(count: number, timeoutMs?: number): Promise<QuerySpan[]>;
  close(): Promise<void>;
}

/** An OTLP/HTTP receiver (protobuf and JSON) keeping every decoded span in memory. */
export async function startCollector(): Promise<Collector> {
  const pusher = createMemoryPusher();
  const receiver = createOtlpHttpReceiver({ host: '127.0.0.1', port: 0, pusher });
  const { port } = await receiver.start();
  const spans = () => pusher.requests.flatMap((r) => requestToQuerySpans(r));
  return {
    endpoint: `127.0.0.1:${port}`,
    spans,
    waitForSpans: (count, timeoutMs) =>
      eventually(() => `${count} spans, got ${spans().length}`, () => spans().length >= count && spans(), { timeoutMs }),
    close: () => receiver.stop(),
  };
}

export interface ServiceProcess {
  proc: ChildProcess;
  output(): string;
  /** Sends `signal` and resolves with the exit code. */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
  exited: Promise<number | null>;
}

const tempDirs: string[] = [];

/** Writes `yaml` to a temp file and returns its path. */
export function writeConfig(name: string, yaml: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'zeroscope-e2e-'));
  tempDirs.push(dir);
  const file = join(dir, name);
  writeFileSync(file, yaml);
  return file;
}

export function removeTempDirs(): void {
  for (const dir of tempDirs.splice(0)) rmSync(dir, { recursive: true, force: true });
}

/** Starts `node --import tsx entry -f configFile` and waits for its "Starting" line. */
export async function startService(entry: string, configFile: string, env: NodeJS.ProcessEnv = {}): Promise<ServiceProcess> {
  const proc = spawn(process.execPath, ['--import', 'tsx', entry, '-f', configFile], {
    cwd: REPO,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  proc.stdout!.on('data', (d) => (out += d));
  proc.stderr!.on('data', (d) => (out += d));
  const exited = new Promise<number | null>((resolve) => proc.once('exit', (code) => resolve(code)));
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${entry} did not start:\n${out}`)), 20_000);
    const check = () => {
      if (/Starting .*server at/.test(out)) {
        clearTimeout(timer);
        resolve();
      }
    };
    proc.stdout!.on('data', check);
    exited.then(() => {
      clearTimeout(timer);
      reject(new Error(`${entry} exited before starting:\n${out}`));
    });
  });
  return {
    proc,
    output: () => out,
    exited,
    async stop(signal = 'SIGTERM') {
      if (proc.exitCode === null && proc.signalCode === null) proc.kill(signal);
      return exited;
    },
  };
}

/** Runs `node <args>` in the repo to its exit (SIGKILLed after `timeoutMs`); resolves with its exit code and output. */
export function runNodeToExit(args: string[], timeoutMs: number): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    const proc = spawn(process.execPath, args, { cwd: REPO, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    proc.stdout.on('data', (d) => (output += d));
    proc.stderr.on('data', (d) => (output += d));
    const timer = setTimeout(() => proc.kill('SIGKILL'), timeoutMs);
    proc.once('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, output });
    });
  });
}

/** Runs `node --import tsx entry -f configFile` expecting it to fail; resolves with its exit code and output. */
export function runToExit(entry: string, configFile: string): Promise<{ code: number | null; output: string }> {
  return runNodeToExit(['--import', 'tsx', entry, '-f', configFile], 20_000);
}

/**
 * The two example services, wired to each other and to `collectorEndpoint`; `telemetryExtra` and
 * `logExtra` are YAML lines added under their `Telemetry` and `Log` blocks.
 */
export async function startSeedSystem(collectorEndpoint: string, telemetryExtra = '', logExtra = ''): Promise<{
  user: ServiceProcess;
  order: ServiceProcess;
  orderUrl: string;
  userPort: number;
}> {
  const userPort = await freePort();
  const orderPort = await freePort();
  const userConf = writeConfig(
    'user.yaml',
    `Name: user.rpc\nListenOn: 127.0.0.1:${userPort}\nLog:\n  ExportAccess: true\n${logExtra}Telemetry:\n  Name: user\n  Endpoint: ${collectorEndpoint}\n  Batcher: otlphttp\n${telemetryExtra}`,
  );
  const orderConf = writeConfig(
    'order.yaml',
    `Name: order\nHost: 127.0.0.1\nPort: ${orderPort}\nLog:\n  ExportAccess: true\n${logExtra}Telemetry:\n  Name: order\n  Endpoint: ${collectorEndpoint}\n  Batcher: otlphttp\n${telemetryExtra}UserRpc:\n  Endpoints:\n    - 127.0.0.1:${userPort}\n`,
  );
  const user = await startService(USER_ENTRY, userConf);
  let order: ServiceProcess;
  try {
    order = await startService(ORDER_ENTRY, orderConf);
  } catch (err) {
    await user.stop();
    throw err;
  }
  return { user, order, orderUrl: `http://127.0.0.1:${orderPort}`, userPort };
}
