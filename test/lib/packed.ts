/**
 * The repository's two packages as a user gets them: packed with `npm pack` (their `prepack`
 * builds them first) and installed from the tarballs into projects outside the repository.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO = fileURLToPath(new URL('../../', import.meta.url));

export interface PackedPackage {
  name: string;
  tarball: string;
  files: string[];
}

export function packWorkspaces(destination: string): Map<string, PackedPackage> {
  const json = execFileSync(
    'npm',
    ['pack', '--json', '--pack-destination', destination, '-w', 'packages/zeroscope', '-w', 'packages/cli'],
    { cwd: REPO, encoding: 'utf8', env: cleanEnv(), stdio: ['ignore', 'pipe', 'inherit'], maxBuffer: 64 << 20 },
  );
  const packed = JSON.parse(json.slice(json.indexOf('['))) as Array<{ name: string; filename: string; files: Array<{ path: string }> }>;
  return new Map(
    packed.map((p) => [p.name, { name: p.name, tarball: `${destination}/${p.filename}`, files: p.files.map((f) => f.path) }]),
  );
}

let packedOnce: Map<string, PackedPackage> | undefined;

/** The packed packages of this test process (packed on first use, into a temp folder). */
export function packedPackages(): Map<string, PackedPackage> {
  packedOnce ??= packWorkspaces(mkdtempSync(join(tmpdir(), 'zeroscope-tarballs-')));
  return packedOnce;
}

/**
 * Points a project's package.json at the packed tarballs for the zeroscope packages it names
 * (they are not on the npm registry) and installs it with npm, the rest from the registry.
 */
export function installPacked(projectDir: string): void {
  const file = join(projectDir, 'package.json');
  const pkg = JSON.parse(readFileSync(file, 'utf8')) as Record<string, Record<string, string> | undefined>;
  for (const field of ['dependencies', 'devDependencies'] as const) {
    for (const [name, packed] of packedPackages()) if (pkg[field]?.[name] !== undefined) pkg[field]![name] = `file:${packed.tarball}`;
  }
  writeFileSync(file, `${JSON.stringify(pkg, null, 2)}\n`);
  execFileSync('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline'], { cwd: projectDir, env: cleanEnv(), stdio: ['ignore', 'ignore', 'pipe'] });
}

/**
 * The environment a new user's shell has: none of the repository's test set-up (its
 * `zeroscope-source` condition, its loader) leaks into the processes the adoption test starts.
 */
export function cleanEnv(): NodeJS.ProcessEnv {
  const env = { ...process.env };
  delete env.NODE_OPTIONS;
  delete env.NODE_TEST_CONTEXT;
  for (const key of Object.keys(env)) if (key.startsWith('OTEL_') || key.startsWith('ZEROSCOPE_')) delete env[key];
  return env;
}
