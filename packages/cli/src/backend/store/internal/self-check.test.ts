import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { openStore } from '../lmdb-store.ts';
import { decodedRequest, spanIdOf, traceIdOf } from '../../otlp/testing/trace-builder.ts';
import { openTables, readCounters } from './lmdb-tables.ts';
import { isDiskFullError } from '../../lmdb/index.ts';

describe('store self-check on open', () => {
  it('repairs counters that disagree with the tables, and says so', async (t) => {
    const dataDir = await mkdtemp(join(tmpdir(), 'zeroscope-selfcheck-'));
    t.after(() => rm(dataDir, { recursive: true, force: true }));
    const now = BigInt(Date.now()) * 1_000_000n;
    const store = await openStore({ dataDir, retention: { sweepIntervalMs: 0 } });
    const spans = [1, 2, 3].map((k) => ({ traceId: traceIdOf(1), spanId: spanIdOf(k), name: 'op', start: now, end: now + 10n }));
    await store.push(decodedRequest([{ service: 'svc', spans }]));
    const good = await store.stats();
    await store.close();

    const tables = openTables(dataDir);
    tables.meta.putSync('counters', { traces: 9, spans: 1, bytes: 5, maxTraceDurationNanos: 0 });
    assert.equal(readCounters(tables).traces, 9);
    await tables.root.close();

    const errors: unknown[] = [];
    const reopened = await openStore({ dataDir, retention: { sweepIntervalMs: 0 }, onError: (e) => errors.push(e) });
    t.after(() => reopened.close());
    assert.deepEqual(await reopened.stats(), good);
    assert.match(String(errors[0]), /self-check repaired the counters \(counters said 9 traces \/ 1 spans, tables hold 1 \/ 3\)/);
  });

  it('recognises disk-full failures of lmdb and the file system', () => {
    for (const err of [
      Object.assign(new Error('write failed'), { code: 'ENOSPC' }),
      new Error('MDB_MAP_FULL: Environment mapsize limit reached'),
      Object.assign(new Error('x'), { errno: -30792 }),
      new Error('ENOSPC: no space left on device, write'),
    ]) assert.ok(isDiskFullError(err), String(err));
    for (const err of [new Error('EACCES'), null, 'x', { code: 'EIO' }]) assert.ok(!isDiskFullError(err));
  });
});
