import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import * as stable from '@opentelemetry/semantic-conventions';
import * as semconv from './semconv.ts';

test('every stable name semconv.ts writes out is the one @opentelemetry/semantic-conventions exports', () => {
  const exported = stable as unknown as Record<string, unknown>;
  const checked = Object.entries(semconv).filter(([name]) => name in exported);
  // The stable names the framework emits (HTTP, network, url, exception, ...): all of them are checked.
  assert.ok(checked.length >= 21, `only ${checked.length} names checked`);
  for (const [name, value] of checked) assert.equal(value, exported[name], name);
});

test('no runtime module of the library imports @opentelemetry/semantic-conventions (semconv.ts owns the names)', () => {
  const src = fileURLToPath(new URL('..', import.meta.url));
  const importers = readdirSync(src, { recursive: true, encoding: 'utf8' })
    .filter((file) => file.endsWith('.ts') && !file.endsWith('.test.ts') && !/(^|\/)(testing|testdata)\//.test(file))
    .filter((file) => /from '@opentelemetry\/semantic-conventions(\/[^']*)?'/.test(readFileSync(join(src, file), 'utf8')));
  assert.deepEqual(importers, []);
});
