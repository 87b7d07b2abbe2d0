// Builds the CLI package into dist/: the backend and CLI compiled by tsc, the .proto schemas the
// backend loads at run time copied beside the compiled modules, the repository's examples (what
// `zeroscope demo` runs) compiled with their configs, and the web UI (build-ui.mjs).
import { execFileSync } from 'node:child_process';
import { cpSync, readdirSync, rmSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const pkg = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');

rmSync(join(pkg, 'dist'), { recursive: true, force: true });
execFileSync(process.execPath, [tsc, '-p', join(pkg, 'tsconfig.build.json')], { stdio: 'inherit' });

/** Copies the files under `from` that tsc does not emit (schemas, configs) to the same place under `to`. */
function copyAssets(from, to, dir = from) {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (name === 'testdata' || name === 'testing') continue;
    if (statSync(path).isDirectory()) copyAssets(from, to, path);
    else if (/\.(proto|ya?ml)$/.test(name)) cpSync(path, join(to, relative(from, path)));
  }
}
copyAssets(join(pkg, 'src'), join(pkg, 'dist'));

const examples = resolve(pkg, '..', '..', 'examples');
execFileSync(process.execPath, [tsc, '-p', join(pkg, 'tsconfig.examples.json')], { stdio: 'inherit' });
copyAssets(examples, join(pkg, 'dist', 'examples'));
execFileSync(process.execPath, [join(pkg, 'scripts', 'build-ui.mjs')], { stdio: 'inherit' });
