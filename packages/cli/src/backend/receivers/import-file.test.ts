import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PushRejectedError, createMemoryPusher, importFile } from './index.ts';
import { validJson } from './testing/index.ts';
import { otlpJson } from '../otlp/testing/trace-builder.ts';

describe('importFile', () => {
  const dir = mkdtempSync(join(tmpdir(), 'zeroscope-import-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('pushes each good line and reports bad lines by number', async () => {
    const path = join(dir, 'traces.jsonl');
    const lines = [validJson('one'), '', '{"resourceSpans": [', validJson('two').replace(/"traceId":"[0-9a-f]+"/, '"traceId":"abc"'), validJson('three'), '{"resourceSpans":[]}'];
    writeFileSync(path, lines.join('\r\n') + '\n');
    const pusher = createMemoryPusher();
    const report = await importFile(path, pusher);
    assert.deepEqual(
      pusher.requests.map((r) => r.resourceSpans[0].scopeSpans[0].spans[0].name),
      ['one', 'three'],
    );
    assert.equal(report.lines, 5);
    assert.equal(report.requests, 3);
    assert.equal(report.spans, 2);
    assert.deepEqual(report.errors.map((e) => e.line), [3, 4]);
    assert.match(report.errors[0].reason, /not valid JSON/);
    assert.match(report.errors[1].reason, /traceId: expected 32 hex characters/);
  });

  it('reports lines the pusher rejects', async () => {
    const path = join(dir, 'one.jsonl');
    writeFileSync(path, validJson() + '\n');
    const pusher = createMemoryPusher();
    pusher.failWith(new PushRejectedError('store closed', { httpStatus: 503 }));
    const report = await importFile(path, pusher);
    assert.deepEqual(report.errors, [{ line: 1, reason: 'store closed' }]);
    assert.equal(report.requests, 0);
  });

  it('counts the spans that ended before expiredBefore, and pushes them all the same', async () => {
    const path = join(dir, 'ages.jsonl');
    const line = (end: bigint) => JSON.stringify(otlpJson([{ service: 'svc', spans: [{ traceId: 'ab'.repeat(16), spanId: 'cd'.repeat(8), name: 'op', start: end - 1n, end }] }]));
    writeFileSync(path, [line(100n), line(200n), line(300n)].join('\n'));
    const pusher = createMemoryPusher();
    const report = await importFile(path, pusher, { expiredBefore: 250n });
    assert.equal(report.expired, 2);
    assert.equal(pusher.requests.length, 3);
    assert.equal((await importFile(path, createMemoryPusher())).expired, 0, 'nothing counted without a cut-off');
  });

  it('rejects a missing file', async () => {
    await assert.rejects(importFile(join(dir, 'missing.jsonl'), createMemoryPusher()), { code: 'ENOENT' });
  });
});
