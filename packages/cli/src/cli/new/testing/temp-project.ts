/**
 * Temp projects outside the repo for the generator tests: the one place that decides how such a
 * project gets `zeroscope`, `@zeroscope/cli` and their peers. Today its `node_modules` is a
 * symlink to this repo's (the workspace links `zeroscope` to packages/zeroscope) and children
 * run with the `source` export condition; the adoption test's packed tarballs can replace this
 * by installing them into `dir` instead (change `linkPackages` only).
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const REPO = fileURLToPath(new URL('../../../../../../', import.meta.url));
const require = createRequire(import.meta.url);

/** Node flags a child of a temp project runs with: TypeScript through tsx, zeroscope from source. */
export const NODE_FLAGS: readonly string[] = ['--conditions=zeroscope-source', '--import', 'tsx'];

export interface TempRoot {
  /** A fresh folder under the OS temp dir: not inside any project. */
  dir: string;
  /** Makes `project` (a folder under `dir`) resolve the zeroscope packages and their peers. */
  linkPackages(project: string): void;
  remove(): void;
}

export function tempRoot(prefix = 'zeroscope-gen-'): TempRoot {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return {
    dir,
    linkPackages(project) {
      symlinkSync(join(REPO, 'node_modules'), join(project, 'node_modules'), 'dir');
    },
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}

/** The result of a finished child process. */
export interface Finished {
  code: number | null;
  output: string;
}

/** Runs `node args` in `cwd` to its end (stdout and stderr together). */
export function runNode(args: readonly string[], cwd: string, timeoutMs = 120_000): Promise<Finished> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.setEncoding('utf8').on('data', (c: string) => (output += c));
    child.stderr.setEncoding('utf8').on('data', (c: string) => (output += c));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`node ${args.join(' ')} did not finish in ${timeoutMs} ms:\n${output}`));
    }, timeoutMs);
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, output });
    });
  });
}

/** Type-checks `project` with its own tsconfig.json (strict), as `npm run typecheck` would. */
export function typecheck(project: string): Promise<Finished> {
  return runNode([require.resolve('typescript/bin/tsc'), '-p', project, '--noEmit'], project);
}
