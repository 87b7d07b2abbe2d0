/**
 * `zeroscope demo`: the slot for the end-to-end demo (backend + the example services + one
 * request, then the trace's URL). The wiring lives with the examples; until it is plugged in
 * here the command says so.
 */
import { CliRunError } from './errors.ts';
import type { CliIo } from './io.ts';

/** `zeroscope demo --help`. */
export const DEMO_HELP = `Usage: zeroscope demo

Starts the backend and the example services (order-api over HTTP, user-rpc over gRPC), sends
one request through them and prints the URL of the resulting trace in the web UI.`;

/** Runs `zeroscope demo`; resolves with the exit status. */
export async function demoCommand(argv: readonly string[], io: CliIo): Promise<number> {
  if (argv.includes('--help') || argv.includes('-h')) {
    io.out(DEMO_HELP);
    return 0;
  }
  throw new CliRunError('zeroscope demo is not available in this build yet; run `zeroscope up` and the examples by hand');
}
