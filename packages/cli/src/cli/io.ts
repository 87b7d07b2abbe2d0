/** What commands use of the process, behind an interface so tests can run commands in-process. */

/** The process as a command sees it. */
export interface CliIo {
  /** Writes a line to stdout. */
  out(line: string): void;
  /** Writes a line to stderr. */
  err(line: string): void;
  env: NodeJS.ProcessEnv;
  cwd: string;
  /** Resolves with the signal name when the process is asked to stop (SIGINT, SIGTERM). */
  waitForStop(): Promise<string>;
}

/**
 * A stdout whose reader went away (`zeroscope gen openapi x.api | head`) ends the command quietly,
 * as SIGPIPE ends a C program; Node ignores SIGPIPE and would throw EPIPE from the stream instead.
 */
let stdoutWatched = false;
function exitQuietlyOnClosedStdout(): void {
  if (stdoutWatched) return;
  stdoutWatched = true;
  process.stdout.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code === 'EPIPE') process.exit(0);
    throw err;
  });
}

/**
 * The real process. A second SIGINT/SIGTERM while stopping exits at once (130), so a stuck
 * shutdown never needs a `kill -9`.
 */
export function processIo(): CliIo {
  exitQuietlyOnClosedStdout();
  return {
    out: (line) => process.stdout.write(`${line}\n`),
    err: (line) => process.stderr.write(`${line}\n`),
    env: process.env,
    cwd: process.cwd(),
    waitForStop() {
      return new Promise((resolve) => {
        let asked = false;
        const onSignal = (signal: NodeJS.Signals) => {
          if (asked) {
            process.stderr.write(`zeroscope: ${signal} again, exiting now\n`);
            process.exit(130);
          }
          asked = true;
          resolve(signal);
        };
        process.on('SIGINT', onSignal);
        process.on('SIGTERM', onSignal);
      });
    },
  };
}

/**
 * The end of a long-running command (`up`, `ui`): waits for SIGINT/SIGTERM, runs `stop`, says so
 * and resolves with exit status 0.
 */
export async function serveUntilStopped(io: CliIo, stop: () => Promise<void>): Promise<number> {
  io.out('Press Ctrl+C to stop.');
  const signal = await io.waitForStop();
  io.out(`zeroscope: ${signal}, stopping`);
  await stop();
  io.out('zeroscope: stopped');
  return 0;
}
