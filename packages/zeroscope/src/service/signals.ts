import { ServiceError } from './errors.ts';
import { ServiceGroup } from './service-group.ts';

/** Options of {@link onShutdownSignals} and {@link runGroup}. */
export interface ShutdownOptions {
  /** Signals that stop the group (default SIGTERM and SIGINT). */
  signals?: NodeJS.Signals[];
  /** How long stopping may take before the process exits anyway, with code 1 (default 10 s). */
  timeoutMs?: number;
  /** How to leave the process (default `process.exit`); tests pass a spy. */
  exit?: (code: number) => void;
}

const DEFAULT_TIMEOUT_MS = 10_000;

/**
 * On the first SIGTERM/SIGINT, stops `group` (servers in reverse order, in-flight work finishes,
 * pending spans are flushed) and exits 0; exits 1 if stopping failed or outlasted `timeoutMs`.
 * A second signal while stopping exits at once with 1, for an impatient Ctrl-C. Returns a function
 * that removes the handlers.
 */
export function onShutdownSignals(group: ServiceGroup, options: ShutdownOptions = {}): () => void {
  const { signals = ['SIGTERM', 'SIGINT'], timeoutMs = DEFAULT_TIMEOUT_MS, exit = (code: number) => process.exit(code) } = options;
  let stopping = false;
  const handler = (signal: NodeJS.Signals): void => {
    if (stopping) {
      console.warn(`[zeroscope/service] ${signal} again: exiting without waiting`);
      exit(1);
      return;
    }
    stopping = true;
    console.info(`[zeroscope/service] ${signal}: stopping`);
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<'timeout'>((resolve) => {
      timer = setTimeout(() => resolve('timeout'), timeoutMs);
    });
    Promise.race([group.stop().then(() => 'stopped' as const), timedOut]).then(
      (outcome) => {
        clearTimeout(timer);
        if (outcome === 'timeout') console.warn(`[zeroscope/service] stop took longer than ${timeoutMs} ms: exiting anyway`);
        exit(outcome === 'stopped' ? 0 : 1);
      },
      (err: unknown) => {
        clearTimeout(timer);
        console.error(`[zeroscope/service] stop failed: ${err instanceof Error ? err.message : String(err)}`);
        exit(1);
      },
    );
  };
  for (const signal of signals) process.on(signal, handler);
  return () => {
    for (const signal of signals) process.off(signal, handler);
  };
}

/**
 * Runs a group the way a service's main does: installs the signal handlers, then starts every
 * server. If a server fails to start (a port in use, etcd unreachable), the group is stopped (spans
 * flushed), the reason is printed without a stack — `error: could not start [CODE]` and the
 * server's message, which names the address and the key to change — and the process exits 1, as
 * go-zero's services do. With an `exit` that returns (tests), the error is rethrown after.
 *
 * @example
 *   await runGroup(new ServiceGroup().add(server));
 */
export async function runGroup(group: ServiceGroup, options: ShutdownOptions & { stderr?: (text: string) => void } = {}): Promise<() => void> {
  const dispose = onShutdownSignals(group, options);
  try {
    await group.start();
  } catch (err) {
    dispose();
    await group.stop().catch(() => undefined);
    const reason = err instanceof ServiceError && err.code === 'SERVICE_ERR_START' && err.cause !== undefined ? err.cause : err;
    const code = (reason as { code?: unknown })?.code;
    const message = reason instanceof Error ? reason.message : String(reason);
    (options.stderr ?? ((text) => process.stderr.write(text)))(`error: could not start${typeof code === 'string' ? ` [${code}]` : ''}\n${message}\n`);
    (options.exit ?? ((status: number) => process.exit(status)))(1);
    throw err;
  }
  return dispose;
}
