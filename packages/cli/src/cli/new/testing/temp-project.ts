/**
 * Temp projects outside the repo for the generator tests: the one place that decides how such a
 * project gets `zeroscope`, `@zeroscope/cli` and their peers: installed from the packed tarballs
 * (test/lib/packed.ts) as a user's project gets them, or, where only the generated code's
 * behaviour is under test, linked to this repo's node_modules (the workspace sources).
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cleanEnv, installPacked, REPO } from '../../../../../../test/lib/packed.ts';

const require = createRequire(import.meta.url);

/** Node flags a child of an installed temp project runs with: its TypeScript through tsx (its `npm start`). */
export const NODE_FLAGS: readonly string[] = ['--import', 'tsx'];

export interface TempRoot {
  /** A fresh folder under the OS temp dir: not inside any project. */
  dir: string;
  /** Installs `project`'s package.json (a folder under `dir`), the zeroscope packages from their tarballs. */
  installPackages(project: string): void;
  /** Links `project`'s node_modules to this repo's, so it resolves the workspace packages. */
  linkPackages(project: string): void;
  remove(): void;
}

export function tempRoot(prefix = 'zeroscope-gen-'): TempRoot {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return {
    dir,
    installPackages: installPacked,
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

/** Runs `node args` in `cwd` to its end (stdout and stderr together), in a user's environment. */
export function runNode(args: readonly string[], cwd: string, timeoutMs = 120_000): Promise<Finished> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { cwd, env: cleanEnv(), stdio: ['ignore', 'pipe', 'pipe'] });
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
