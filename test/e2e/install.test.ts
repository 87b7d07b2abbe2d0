/**
 * A fresh clone's `npm ci` on Node 20 prints no engine warnings: every locked package (the
 * benchmark-only alternatives included) must run on the Node version the README promises. Checked
 * with `npm ci --dry-run`, which reads the lockfile the way `npm ci` does and changes nothing.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { test } from 'node:test';
import { REPO } from './harness.ts';

test('npm ci on this Node prints no EBADENGINE warning', () => {
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  const result = spawnSync(npm, ['ci', '--dry-run', '--ignore-scripts', '--no-audit', '--no-fund'], { cwd: REPO, encoding: 'utf8', timeout: 120_000 });
  assert.equal(result.status, 0, result.stderr);
  const output = `${result.stdout}\n${result.stderr}`;
  assert.doesNotMatch(output, /EBADENGINE/, output);
});
