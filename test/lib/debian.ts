/**
 * Servers from Debian's packages for the tests (etcd, Prometheus, PostgreSQL): found where the
 * package puts them, or installed with apt-get when missing and running as root, as CI does on a
 * clean machine. Nothing is skipped: without the package and without root, the test fails saying
 * what to install.
 */
import { spawnSync } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';

/** The executable `name` on PATH (or /usr/bin, /usr/local/bin), or undefined. */
export function findExecutable(name: string): string | undefined {
  for (const dir of [...(process.env.PATH ?? '').split(delimiter), '/usr/bin', '/usr/local/bin']) {
    const path = join(dir, name);
    try {
      accessSync(path, constants.X_OK);
      return path;
    } catch {
      // not here
    }
  }
  return undefined;
}

/**
 * What `find` finds, installing Debian's `debianPackage` first when it finds nothing. The dpkg lock
 * is waited for (parallel test files may install at once); a failed install retries after an update.
 */
export function ensureDebianPackage<T>(debianPackage: string, find: () => T | undefined): T {
  const found = find();
  if (found !== undefined) return found;
  if (process.getuid?.() !== 0) {
    throw new Error(`${debianPackage} is not installed and this is not root: run \`apt-get install -y ${debianPackage}\` first`);
  }
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  const install = () =>
    spawnSync('apt-get', ['-o', 'DPkg::Lock::Timeout=600', 'install', '-y', '--no-install-recommends', debianPackage], { env, encoding: 'utf8', timeout: 900_000 });
  let result = install();
  if (result.status !== 0) {
    spawnSync('apt-get', ['-o', 'DPkg::Lock::Timeout=600', 'update'], { env, encoding: 'utf8', timeout: 300_000 });
    result = install();
  }
  const installed = find();
  if (installed === undefined) throw new Error(`apt-get install -y ${debianPackage} failed (status ${result.status}):\n${result.stderr ?? String(result.error)}`);
  return installed;
}
