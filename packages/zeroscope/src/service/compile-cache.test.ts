// The compile-cache preload on each Node the repository supports: a no-op on Node 20, the cache
// on (in the OS temp folder) on Node 24. Run as a preload in a fresh process, as a start script does.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { node24BinDir } from '../../../../test/adoption/lib/node24.ts';

const PRELOAD = fileURLToPath(new URL('./compile-cache.ts', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'zeroscope-compile-cache-'));
after(() => rmSync(dir, { recursive: true, force: true }));

/** What a process started with the preload reports: its Node major and the cache folder, if any. */
function run(node: string, tmp: string): { major: number; cacheDir: string | null } {
  const script = `const m = require('node:module'); console.log(JSON.stringify({ major: Number(process.versions.node.split('.')[0]), cacheDir: m.getCompileCacheDir?.() ?? null }));`;
  const env: NodeJS.ProcessEnv = { ...process.env, TMPDIR: tmp };
  delete env.NODE_COMPILE_CACHE;
  delete env.NODE_DISABLE_COMPILE_CACHE;
  // tsx only to run the preload's TypeScript source; the dist build is the same code.
  const out = execFileSync(node, ['--import', 'tsx', '--import', PRELOAD, '-e', script], { encoding: 'utf8', env });
  return JSON.parse(out.trim().split('\n').at(-1)!) as { major: number; cacheDir: string | null };
}

describe('zeroscope/compile-cache', () => {
  test('on Node 20 the process runs as without it: no cache, nothing written', () => {
    const tmp = mkdtempSync(join(dir, 'node20-'));
    const node20 = process.versions.node.startsWith('20.') ? process.execPath : undefined;
    assert.ok(node20, `the tests run on Node 20 (this is ${process.version})`);
    assert.deepEqual(run(node20, tmp), { major: 20, cacheDir: null });
    assert.ok(!readdirSync(tmp).includes('node-compile-cache'), 'no compile cache folder (tsx keeps a cache of its own there)');
  });

  test('on Node 24 it turns the compile cache on in the OS temp folder, and the loaded code is cached there', () => {
    const tmp = mkdtempSync(join(dir, 'node24-'));
    const report = run(join(node24BinDir(), 'node'), tmp);
    assert.equal(report.major, 24);
    assert.ok(report.cacheDir?.startsWith(join(tmp, 'node-compile-cache')), `cache folder ${report.cacheDir}`);
    assert.ok(readdirSync(join(tmp, 'node-compile-cache')).length > 0, 'the cache holds what the process compiled');
  });
});
