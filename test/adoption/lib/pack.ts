/**
 * Packs the repository's two packages with `npm pack`, as a release would (their `prepack`
 * builds them first), and reports each tarball with the files it holds.
 */
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export const REPO = fileURLToPath(new URL('../../../', import.meta.url));

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

/**
 * The environment a new user's shell has: none of the repository's test set-up (its
 * `zeroscope-source` condition, its loader) leaks into the processes the adoption test starts.
 */
export function cleanEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const env = { ...process.env, ...extra };
  delete env.NODE_OPTIONS;
  delete env.NODE_TEST_CONTEXT;
  for (const key of Object.keys(env)) if (key.startsWith('OTEL_') || key.startsWith('ZEROSCOPE_')) delete env[key];
  return env;
}
