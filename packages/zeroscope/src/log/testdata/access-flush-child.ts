/**
 * Child of access-flush.test.ts: writes access lines through the process logger (console json to
 * stdout, or file mode under a Path), then ends the way argv says — `exit` (process.exit right
 * after the last line), `crash` (an uncaught exception), `return` (the event loop drains) — so the
 * test can check no buffered line was lost.
 */
import { logAccess, LogSchema, setUpLogging } from '../index.ts';

const { mode, path, lines, end } = JSON.parse(process.argv[2]!) as { mode: 'console' | 'file'; path?: string; lines: number; end: 'exit' | 'crash' | 'return' };
setUpLogging(LogSchema.parse({ Mode: mode, Path: path, SlowThreshold: 100 }), { serviceName: 'flush' });
for (let i = 0; i < lines; i++) {
  // Mostly fast successes, with failures and slow calls among them (they go to other files in file mode).
  const outcome = i % 7 === 3 ? 'server-error' : i % 11 === 5 ? 'client-error' : 'success';
  const durationMs = i % 13 === 0 ? 150 : 1;
  const status = outcome === 'server-error' ? 500 : outcome === 'client-error' ? 404 : 200;
  logAccess({ kind: 'http', method: 'GET', route: '/n/:i', path: `/n/${i}`, status, durationMs, outcome });
}
if (end === 'exit') process.exit(0);
if (end === 'crash') throw new Error('crash after the last line');
