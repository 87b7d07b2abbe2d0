/**
 * What the chain runs, compiled: the examples come built by `npm ci` into the CLI package (what
 * `zeroscope demo` runs); the alternatives (bench/alternatives) are compiled here by tsc, so every
 * variant runs plain JavaScript as a user ships it. The TypeScript entries stay for the
 * through-tsx variants that show what the loader costs.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));
const ALTERNATIVES = here('../alternatives');
// Two levels below the repository root, as bench/alternatives is, so relative paths in the
// sources (the example's user.proto) resolve the same; git-ignored.
const ALTERNATIVES_JS = here('../.alternatives-js');
const EXAMPLES_JS = here('../../packages/cli/dist/examples');

/** The compiled example entry for `examples/<entry>.ts` (built by npm ci). */
export function compiledExample(entry: string): string {
  const path = join(EXAMPLES_JS, entry.replace(/\.ts$/, '.js'));
  if (!existsSync(path)) throw new Error(`${path} is missing: build the packages first (npm ci, or npm run build --workspaces)`);
  return path;
}

/** Compiles bench/alternatives with tsc once per run; returns the folder of the .js files. */
export function compileAlternatives(): string {
  rmSync(ALTERNATIVES_JS, { recursive: true, force: true });
  const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
  const sources = readdirSync(ALTERNATIVES).filter((f) => f.endsWith('.ts')).map((f) => join(ALTERNATIVES, f));
  execFileSync(
    process.execPath,
    [tsc, '--outDir', ALTERNATIVES_JS, '--rootDir', ALTERNATIVES, '--module', 'NodeNext', '--target', 'ES2022', '--strict', '--skipLibCheck',
      '--esModuleInterop', '--rewriteRelativeImportExtensions', '--types', 'node', ...sources],
    { stdio: 'inherit' },
  );
  return ALTERNATIVES_JS;
}
