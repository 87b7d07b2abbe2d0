/**
 * A new user's project in a temporary folder outside the repository: the fixture's sources and a
 * package.json, installed as a user would (the zeroscope packages from the packed tarballs, the
 * rest from the npm registry).
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { cleanEnv, installPacked, REPO } from '../../lib/packed.ts';

const FIXTURE = join(REPO, 'test', 'adoption', 'project');

export interface Project {
  dir: string;
  /** Runs a command in the project, on the given Node (its bin folder first in PATH). */
  run(command: string, args: string[], nodeBinDir?: string): string;
  /** Starts a long-running command in its own process group (npx spawns through a shell). */
  start(command: string, args: string[], nodeBinDir?: string): RunningProcess;
}

export interface RunningProcess {
  child: ChildProcess;
  output(): string;
  /** Resolves with the first match of `pattern` in the output. */
  waitFor(pattern: RegExp, timeoutMs?: number): Promise<RegExpExecArray>;
  /** SIGTERM to the whole group, SIGKILL after a grace period. */
  stop(): Promise<void>;
}

function envFor(nodeBinDir?: string): NodeJS.ProcessEnv {
  const env = cleanEnv();
  if (nodeBinDir) env.PATH = `${nodeBinDir}${delimiter}${env.PATH ?? ''}`;
  return env;
}

/**
 * Creates the project with `dependencies` (name → version; the zeroscope packages' versions are
 * replaced by their tarballs) and installs it. With `fixture: false` only the package.json is
 * written (an install-only project).
 */
export function createProject(
  dependencies: Record<string, string>,
  devDependencies: Record<string, string>,
  options: { fixture?: boolean } = {},
): Project {
  const dir = mkdtempSync(join(tmpdir(), 'zeroscope-adoption-'));
  if (options.fixture !== false) cpSync(FIXTURE, dir, { recursive: true });
  writeFileSync(
    join(dir, 'package.json'),
    JSON.stringify({ name: 'adoption-project', private: true, type: 'module', dependencies, devDependencies }, null, 2),
  );
  const project: Project = {
    dir,
    run(command, args, nodeBinDir) {
      try {
        return execFileSync(command, args, { cwd: dir, env: envFor(nodeBinDir), encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
      } catch (err) {
        const { stdout, stderr } = err as { stdout?: string; stderr?: string };
        throw new Error(`${command} ${args.join(' ')} failed:\n${stdout ?? ''}${stderr ?? ''}`, { cause: err });
      }
    },
    start(command, args, nodeBinDir) {
      return startProcess(spawn(command, args, { cwd: dir, env: envFor(nodeBinDir), detached: true, stdio: ['ignore', 'pipe', 'pipe'] }));
    },
  };
  installPacked(dir);
  return project;
}

/** The repository's pinned versions of the tools a TypeScript user installs beside the packages. */
export function typescriptTooling(): Record<string, string> {
  const { devDependencies } = JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')) as { devDependencies: Record<string, string> };
  return { typescript: devDependencies.typescript!, '@types/node': devDependencies['@types/node']! };
}

function startProcess(child: ChildProcess): RunningProcess {
  let out = '';
  child.stdout!.setEncoding('utf8').on('data', (d: string) => (out += d));
  child.stderr!.setEncoding('utf8').on('data', (d: string) => (out += d));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const signal = (sig: NodeJS.Signals) => {
    try {
      process.kill(-child.pid!, sig);
    } catch {
      // the group is gone already
    }
  };
  return {
    child,
    output: () => out,
    waitFor(pattern, timeoutMs = 30_000) {
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => done(new Error(`no ${pattern} within ${timeoutMs} ms:\n${out}`)), timeoutMs);
        const check = () => {
          const match = pattern.exec(out);
          if (match) done(undefined, match);
        };
        const onExit = () => done(new Error(`exited before ${pattern}:\n${out}`));
        function done(err?: Error, match?: RegExpExecArray) {
          clearTimeout(timer);
          child.stdout!.off('data', check);
          child.stderr!.off('data', check);
          child.off('exit', onExit);
          if (err) reject(err);
          else resolve(match!);
        }
        child.stdout!.on('data', check);
        child.stderr!.on('data', check);
        child.once('exit', onExit);
        check();
      });
    },
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      signal('SIGTERM');
      const timer = setTimeout(() => signal('SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
    },
  };
}
