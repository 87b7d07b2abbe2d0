/**
 * The example services as child processes for `zeroscope demo`: their own `etc/*.yaml`, with the
 * listen ports and the telemetry endpoint rewritten to match this run, so the demo works with
 * whatever ports the backend and services were given.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse, stringify } from 'yaml';
import { CliRunError } from './errors.ts';
import { serviceListenFailure } from './listen-failure.ts';

// The compiled CLI runs the compiled examples it ships (dist/examples, built with it). Run from its
// TypeScript source (the repository's tests), it runs the examples' sources through tsx, resolved
// here so the children find it whatever their working directory.
const FROM_SOURCE = import.meta.url.endsWith('.ts');
const EXAMPLES = fileURLToPath(new URL(FROM_SOURCE ? '../../../../examples/' : '../examples/', import.meta.url));
const LOADER = FROM_SOURCE ? ['--import', import.meta.resolve('tsx'), '--conditions=zeroscope-source'] : [];
const compiled = (entry: string) => (FROM_SOURCE ? entry : entry.replace(/\.ts$/, '.js'));

/** A running example service. */
export interface DemoService {
  name: string;
  /** host:port it listens on, as it printed it. */
  address: string;
  /** Everything it wrote so far (stdout and stderr). */
  output(): string;
  /** SIGTERM, then SIGKILL after `graceMs`; resolves with the exit code. */
  stop(graceMs?: number): Promise<number | null>;
}

type Yaml = Record<string, unknown>;

function exampleConfig(relative: string): Yaml {
  return parse(readFileSync(join(EXAMPLES, relative), 'utf8')) as Yaml;
}

/** Writes user-rpc's config into a fresh temp dir now, order-api's once user-rpc's address is known. */
export function writeDemoConfigs(options: {
  otlpEndpoint: string;
  userPort: number;
  orderPort: number;
}): { userConfig: string; orderConfig: (userAddress: string) => string; cleanup(): void } {
  const dir = mkdtempSync(join(tmpdir(), 'zeroscope-demo-'));
  const telemetry = (conf: Yaml) => ({ ...(conf.Telemetry as Yaml), Endpoint: options.otlpEndpoint });

  const user = exampleConfig('user-rpc/etc/user.yaml');
  user.ListenOn = `127.0.0.1:${options.userPort}`;
  user.Telemetry = telemetry(user);
  const userConfig = join(dir, 'user.yaml');
  writeFileSync(userConfig, stringify(user));

  return {
    userConfig,
    // order needs the address user-rpc actually bound (its port may have been 0).
    orderConfig(userAddress) {
      const order = exampleConfig('order-api/etc/order.yaml');
      order.Port = options.orderPort;
      order.Telemetry = telemetry(order);
      order.UserRpc = { ...(order.UserRpc as Yaml), Endpoints: [userAddress] };
      const file = join(dir, 'order.yaml');
      writeFileSync(file, stringify(order));
      return file;
    },
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
}

/**
 * Starts `examples/<entry>` with `-f config` and resolves once it printed its
 * `Starting ... server at host:port...` line (go-zero's start-up line). A port it cannot bind is
 * reported with `portFlag`, the demo flag that chose it.
 */
export function startExample(name: string, entry: string, config: string, portFlag: string, timeoutMs = 30_000): Promise<DemoService> {
  const child: ChildProcess = spawn(process.execPath, [...LOADER, join(EXAMPLES, compiled(entry)), '-f', config], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  child.stdout!.setEncoding('utf8').on('data', (d: string) => (output += d));
  child.stderr!.setEncoding('utf8').on('data', (d: string) => (output += d));

  const service = (address: string): DemoService => ({
    name,
    address,
    output: () => output,
    async stop(graceMs = 10_000) {
      if (child.exitCode !== null || child.signalCode !== null) return exited;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      const code = await exited;
      clearTimeout(timer);
      return code;
    },
  });

  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new CliRunError(`${name} did not start within ${timeoutMs / 1000}s:\n${output}`));
    }, timeoutMs);
    const onData = () => {
      const started = /Starting (?:rpc )?server at (\S+?)\.\.\./.exec(output);
      if (!started) return;
      clearTimeout(timer);
      child.stdout!.off('data', onData);
      resolve(service(started[1]!));
    };
    child.stdout!.on('data', onData);
    void exited.then((code) => {
      clearTimeout(timer);
      const listen = serviceListenFailure(name, output, portFlag);
      reject(new CliRunError(listen ?? `${name} exited (code ${code}) before it started:\n${output}`));
    });
  });
}
