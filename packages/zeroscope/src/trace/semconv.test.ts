import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as stable from '@opentelemetry/semantic-conventions';
import * as semconv from './semconv.ts';

test('every stable name semconv.ts writes out is the one @opentelemetry/semantic-conventions exports', () => {
  const exported = stable as unknown as Record<string, unknown>;
  const checked = Object.entries(semconv).filter(([name]) => name in exported);
  // The stable names the framework emits (HTTP, network, url, exception, ...): all of them are checked.
  assert.ok(checked.length >= 21, `only ${checked.length} names checked`);
  for (const [name, value] of checked) assert.equal(value, exported[name], name);
});
