/**
 * A small flag parser for the CLI: `--name value`, `--name=value`, boolean `--help`/`-h`, and
 * positional arguments. Anything unknown is a usage error naming the flag.
 */
import { CliUsageError } from './errors.ts';

/** One flag a command accepts. */
export interface FlagSpec {
  /** Long name without dashes, e.g. `data-dir`. */
  name: string;
  /** Placeholder shown in help, e.g. `DIR`; absent for boolean flags. */
  value?: string;
  /** One-line description for `--help`. */
  description: string;
  /** Environment variable that sets the same thing (shown in help). */
  env?: string;
}

/** What a command line parsed into. */
export interface ParsedFlags {
  /** Values by flag name (booleans are `'true'`). */
  values: Map<string, string>;
  positionals: string[];
  help: boolean;
}

/** Parses `argv` for `command` against `specs`; `--help`/`-h` is always accepted. */
export function parseFlags(command: string, argv: readonly string[], specs: readonly FlagSpec[]): ParsedFlags {
  const byName = new Map(specs.map((s) => [s.name, s]));
  const parsed: ParsedFlags = { values: new Map(), positionals: [], help: false };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--help' || arg === '-h') {
      parsed.help = true;
      continue;
    }
    if (arg === '--') {
      parsed.positionals.push(...argv.slice(i + 1));
      break;
    }
    if (!arg.startsWith('-') || arg === '-') {
      parsed.positionals.push(arg);
      continue;
    }
    const eq = arg.indexOf('=');
    const name = arg.slice(2, eq >= 0 ? eq : undefined);
    const spec = arg.startsWith('--') ? byName.get(name) : undefined;
    if (!spec) throw new CliUsageError(command, `unknown flag ${eq >= 0 ? arg.slice(0, eq) : arg}`);
    if (!spec.value) {
      if (eq >= 0) throw new CliUsageError(command, `--${name} takes no value`);
      parsed.values.set(name, 'true');
      continue;
    }
    let value: string | undefined;
    if (eq >= 0) value = arg.slice(eq + 1);
    else {
      value = argv[i + 1];
      if (value === undefined || (value.startsWith('--') && value.length > 2)) {
        throw new CliUsageError(command, `--${name} needs a value (${spec.value})`);
      }
      i++;
    }
    parsed.values.set(name, value);
  }
  return parsed;
}

/** The flags section of a command's help text. */
export function formatFlags(specs: readonly FlagSpec[]): string {
  const rows = specs.map((s) => [`--${s.name}${s.value ? ` ${s.value}` : ''}`, s.description + (s.env ? ` [$${s.env}]` : '')]);
  rows.push(['-h, --help', 'show this help']);
  const width = Math.max(...rows.map(([left]) => left!.length));
  return rows.map(([left, right]) => `  ${left!.padEnd(width)}  ${right}`).join('\n');
}
