/** A CliIo that records output, for running commands in-process in tests. */
import type { CliIo } from '../io.ts';

/** Records what a command printed; `stop()` plays the role of Ctrl+C. */
export function memoryIo(env: NodeJS.ProcessEnv = {}, cwd = process.cwd()): CliIo & {
  stdout: string[];
  stderr: string[];
  stop(signal?: string): void;
} {
  const stdout: string[] = [];
  const stderr: string[] = [];
  let resolveStop: (signal: string) => void = () => {};
  const stopped = new Promise<string>((resolve) => (resolveStop = resolve));
  return {
    stdout,
    stderr,
    env,
    cwd,
    out: (line) => stdout.push(line),
    err: (line) => stderr.push(line),
    waitForStop: () => stopped,
    stop: (signal = 'SIGTERM') => resolveStop(signal),
  };
}
