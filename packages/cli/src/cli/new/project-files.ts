/**
 * The package.json and tsconfig.json of a new project (`zeroscope new` in a folder that is not
 * inside one): ESM, strict TypeScript built by tsc and started as plain JavaScript (`npm start`;
 * tsx only for `npm run dev` and the tests, as a dev dependency: a service through a loader starts
 * slower and holds more memory, BENCHMARKS.md), and the zeroscope packages with the peer
 * dependencies the runtime and the generated code import.
 */
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { PlannedFile } from '../gen/write-plan.ts';

const require = createRequire(import.meta.url);

/** Tool versions a new project starts with (the ones this repo builds and tests with). */
const TOOLS = { typescript: '^5.9.3', tsx: '^4.20.0', '@types/node': '^20.19.0' } as const;

interface PackageJson {
  version: string;
  dependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
}

function readPackage(path: string): PackageJson {
  return JSON.parse(readFileSync(path, 'utf8')) as PackageJson;
}

/** True when `dir` or a folder above it has a package.json: then the project exists already. */
export function insideProject(dir: string): boolean {
  for (let d = dir; ; d = dirname(d)) {
    if (existsSync(join(d, 'package.json'))) return true;
    if (dirname(d) === d) return false;
  }
}

/** package.json and tsconfig.json for a new project named `name` whose entry is `entry`.ts. */
export function projectFiles(name: string, entry: string, gen: string): PlannedFile[] {
  const runtime = readPackage(require.resolve('zeroscope/package.json'));
  const cli = readPackage(fileURLToPath(new URL('../../../package.json', import.meta.url)));
  const pkg = {
    name,
    version: '0.1.0',
    private: true,
    type: 'module',
    engines: { node: '>=20.19' },
    scripts: {
      dev: `node --import tsx ${entry}.ts -f etc/${entry}.yaml`,
      prestart: 'tsc -p .',
      // The preload turns Node's compile cache on (22.1+; a no-op on 20): later starts compile nothing.
      start: `node --import zeroscope/compile-cache dist/${entry}.js -f etc/${entry}.yaml`,
      test: `node --import tsx --test ${entry}.test.ts`,
      typecheck: 'tsc -p . --noEmit',
      build: 'tsc -p .',
      gen: `zeroscope ${gen}`,
    },
    dependencies: {
      zeroscope: `^${runtime.version}`,
      '@grpc/grpc-js': runtime.peerDependencies?.['@grpc/grpc-js'] ?? '^1.10.0',
      '@opentelemetry/api': runtime.peerDependencies?.['@opentelemetry/api'] ?? '^1.9.0',
      zod: runtime.peerDependencies?.zod ?? '^4.0.0',
    },
    devDependencies: {
      '@zeroscope/cli': `^${cli.version}`,
      '@types/node': TOOLS['@types/node'],
      tsx: TOOLS.tsx,
      typescript: TOOLS.typescript,
    },
  };
  const tsconfig = {
    compilerOptions: {
      target: 'ES2022',
      module: 'NodeNext',
      moduleResolution: 'NodeNext',
      lib: ['ES2022'],
      strict: true,
      skipLibCheck: true,
      // Relative imports end in .ts (tsx runs them as they are); tsc rewrites them to .js in dist/.
      rewriteRelativeImportExtensions: true,
      outDir: 'dist',
      types: ['node'],
    },
    include: ['**/*.ts'],
    exclude: ['node_modules', 'dist'],
  };
  return [
    { path: 'package.json', content: `${JSON.stringify(pkg, null, 2)}\n`, role: 'scaffold' },
    { path: 'tsconfig.json', content: `${JSON.stringify(tsconfig, null, 2)}\n`, role: 'scaffold' },
  ];
}
