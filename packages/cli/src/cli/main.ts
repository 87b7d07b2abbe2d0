/**
 * The `zeroscope` command: dispatches to a subcommand and turns errors into exit statuses
 * (usage errors 2, failures 1). `bin/zeroscope.js` runs `run()` (compiled, or through tsx in the repository's tests).
 */
import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { demoCommand } from './demo.ts';
import { CliError, CliUsageError } from './errors.ts';
import { genCommand } from './gen/command.ts';
import { importCommand } from './import.ts';
import { newCommand } from './new/command.ts';
import { processIo, type CliIo } from './io.ts';
import { uiCommand } from './ui.ts';
import { upCommand } from './up.ts';

/** A subcommand: its one-line summary and how it runs. */
export interface Command {
  summary: string;
  run(argv: readonly string[], io: CliIo): Promise<number>;
}

/** Every subcommand, in the order `--help` lists them. */
export const COMMANDS: Readonly<Record<string, Command>> = {
  up: { summary: 'run the backend: receivers, trace store, Tempo-compatible API and web UI', run: upCommand },
  import: { summary: 'load a file of OTLP/JSON lines into the trace store', run: importCommand },
  ui: { summary: 'serve the web UI over another Tempo-compatible API (Grafana Tempo, another backend)', run: uiCommand },
  demo: { summary: 'run the backend and the example services, and send two traced requests (one fails)', run: demoCommand },
  new: { summary: 'create an RPC service or HTTP API laid out like go-zero (goctl rpc new / api new)', run: newCommand },
  gen: { summary: 'generate a service from its .proto or go-zero .api file, or an OpenAPI document', run: genCommand },
};

/** `zeroscope --help`. */
export function mainHelp(): string {
  const width = Math.max(...Object.keys(COMMANDS).map((n) => n.length));
  return `Usage: zeroscope <command> [flags]

Commands:
${Object.entries(COMMANDS)
  .map(([name, c]) => `  ${name.padEnd(width)}  ${c.summary}`)
  .join('\n')}

Run 'zeroscope <command> --help' for a command's flags.`;
}

function version(): string {
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
  return pkg.version;
}

/**
 * Runs the command line `argv` (without node and script) and resolves with the exit status.
 * @example process.exitCode = await main(['up', '--query-port', '3300']);
 */
export async function main(argv: readonly string[], io: CliIo = processIo()): Promise<number> {
  const [name, ...rest] = argv;
  try {
    if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
      io.out(mainHelp());
      return name === undefined ? 2 : 0;
    }
    if (name === '--version' || name === '-v') {
      io.out(version());
      return 0;
    }
    const command = COMMANDS[name];
    if (!command) throw new CliUsageError('', `unknown command ${name}`);
    return await command.run(rest, io);
  } catch (err) {
    if (err instanceof CliUsageError) {
      const prefix = err.command ? `zeroscope ${err.command}` : 'zeroscope';
      io.err(`${prefix}: ${err.message}`);
      io.err(`Run '${prefix} --help' for usage.`);
      return err.exitCode;
    }
    if (err instanceof CliError) {
      io.err(`zeroscope: ${err.message}`);
      return err.exitCode;
    }
    io.err(`zeroscope: ${(err as Error)?.stack ?? String(err)}`);
    return 1;
  }
}

/** Runs the real process's command line and exits with its status. */
export async function run(): Promise<void> {
  const code = await main(process.argv.slice(2));
  process.exitCode = code;
  // Every listener is closed by now; do not let a stray handle keep the process alive.
  setTimeout(() => process.exit(code), 1000).unref();
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) await run();
