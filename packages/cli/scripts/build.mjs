// Builds the CLI package into dist/: the backend and CLI compiled by tsc, the .proto schemas the
// backend loads at run time copied beside the compiled modules, and the web UI (build-ui.mjs).
import { execFileSync } from 'node:child_process';
import { cpSync, readdirSync, rmSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const pkg = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');

rmSync(join(pkg, 'dist'), { recursive: true, force: true });
execFileSync(process.execPath, [tsc, '-p', join(pkg, 'tsconfig.build.json')], { stdio: 'inherit' });

function copySchemas(dir) {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) copySchemas(path);
    else if (name.endsWith('.proto')) cpSync(path, join(pkg, 'dist', relative(join(pkg, 'src'), path)));
  }
}
copySchemas(join(pkg, 'src'));
execFileSync(process.execPath, [join(pkg, 'scripts', 'build-ui.mjs')], { stdio: 'inherit' });
