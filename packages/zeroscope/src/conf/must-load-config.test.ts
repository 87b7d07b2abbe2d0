import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { z } from 'zod';
import { mustLoadConfig } from './must-load-config.ts';

const dir = mkdtempSync(join(tmpdir(), 'zeroscope-mustload-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const schema = z.object({ Name: z.string(), Port: z.number() }).strict();

class Exit extends Error {
  constructor(readonly code: number) {
    super(`exit ${code}`);
  }
}
const exit = (code: number): never => {
  throw new Exit(code);
};

describe('mustLoadConfig', () => {
  test('returns the parsed config', () => {
    const file = join(dir, 'ok.yaml');
    writeFileSync(file, 'Name: order\nPort: 8888\n');
    assert.deepEqual(mustLoadConfig(file, schema, { exit }), { Name: 'order', Port: 8888 });
  });

  test('a bad config prints file, key and expectation and exits 1, with no stack trace', () => {
    const file = join(dir, 'bad.yaml');
    writeFileSync(file, 'Name: order\nPort: eighty\n');
    let printed = '';
    assert.throws(
      () => mustLoadConfig(file, schema, { exit, stderr: (text) => (printed += text) }),
      (err: unknown) => err instanceof Exit && err.code === 1,
    );
    assert.match(printed, /CONF_ERR_INVALID/);
    assert.match(printed, /bad\.yaml: Port: expected a number, got "eighty"/);
    assert.doesNotMatch(printed, /\n\s+at /);
  });

  test('a missing file is a config error too', () => {
    let printed = '';
    assert.throws(() => mustLoadConfig(join(dir, 'nope.yaml'), schema, { exit, stderr: (t) => (printed += t) }), Exit);
    assert.match(printed, /nope\.yaml: config file not found/);
  });
});
