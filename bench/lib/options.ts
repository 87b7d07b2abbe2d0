/** Command-line options of `bench/run.ts`: benches to run, `--quick`, and `--name value` overrides. */

/** Parsed argv: positional words and `--name value` / `--flag` options. */
export interface Argv {
  words: string[];
  flags: Map<string, string>;
}

/** Splits argv into words and flags (`--quick` is 'true'; `--rounds 5` and `--rounds=5` both work). */
export function parseArgv(argv: readonly string[]): Argv {
  const words: string[] = [];
  const flags = new Map<string, string>();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (!arg.startsWith('--')) {
      words.push(arg);
      continue;
    }
    const eq = arg.indexOf('=');
    if (eq > 0) flags.set(arg.slice(2, eq), arg.slice(eq + 1));
    else if (argv[i + 1] !== undefined && !argv[i + 1].startsWith('--') && /^[\d.]+$/.test(argv[i + 1])) flags.set(arg.slice(2), argv[++i]);
    else flags.set(arg.slice(2), 'true');
  }
  return { words, flags };
}

/** Fills `defaults` from numeric flags of the same name (camelCase keys, kebab-case flags). */
export function numericOverrides<T extends { [K in keyof T]: number }>(defaults: T, flags: Map<string, string>): T {
  const out: Record<string, number> = { ...(defaults as Record<string, number>) };
  for (const key of Object.keys(defaults)) {
    const raw = flags.get(key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`));
    if (raw === undefined) continue;
    const value = Number(raw);
    if (!Number.isFinite(value) || value < 0) throw new Error(`--${key}: "${raw}" is not a number`);
    out[key] = value;
  }
  return out as unknown as T;
}

/** Progress lines go to stderr so stdout holds only the tables. */
export function log(message: string): void {
  process.stderr.write(`[bench ${new Date().toISOString().slice(11, 19)}] ${message}\n`);
}
