// Runs every *.test.ts under packages/*/src, examples/ and test/ with Node's own runner (Node 20 has no
// glob support in `node --test`, so the files are listed here). Extra args narrow the run:
//   node scripts/test.mjs packages/zeroscope/src/conf  -> only tests under that folder
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const roots = process.argv.slice(2).filter((a) => !a.startsWith('-'));
const flags = process.argv.slice(2).filter((a) => a.startsWith('-'));

function collect(dir, out) {
  let entries;
  try { entries = readdirSync(dir); } catch { return out; }
  for (const name of entries) {
    if (name === 'node_modules' || name.startsWith('.')) continue;
    const path = join(dir, name);
    if (statSync(path).isDirectory()) collect(path, out);
    else if (name.endsWith('.test.ts')) out.push(path);
  }
  return out;
}

const files = (roots.length ? roots : ['packages/zeroscope/src', 'packages/cli/src', 'examples', 'test'])
  .flatMap((r) => (r.endsWith('.test.ts') ? [r] : collect(r, [])))
  .sort();
if (files.length === 0) {
  console.error('no test files found');
  process.exit(1);
}
const result = spawnSync(
  process.execPath,
  ['--import', 'tsx', '--test', '--test-concurrency=2', '--test-timeout=600000', ...flags, ...files],
  // The `source` export condition points workspace imports (`zeroscope/rest`) at the TypeScript
  // sources; in NODE_OPTIONS so that the processes the tests spawn resolve them the same way.
  { stdio: 'inherit', env: { ...process.env, NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ''} --conditions=zeroscope-source`.trim() } },
);
process.exit(result.status ?? 1);
