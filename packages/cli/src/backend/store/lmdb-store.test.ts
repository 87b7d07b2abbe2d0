import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { after, describe, it } from 'node:test';
import { open } from 'lmdb';
import { isStoreError } from './errors.ts';
import { openStore } from './lmdb-store.ts';
import { runStoreContract } from './testing/store-contract.ts';
import { CHILD_SPANS_PER_PUSH, childTraceId } from './testing/durability-child.ts';
import { idHex, decodedRequest, nanosOf, idBytes, spanIdOf, traceIdOf, type SpanSpec } from '../otlp/testing/trace-builder.ts';
import { decodeTracesData, spansOf } from './testing/fixtures.ts';

const root = await mkdtemp(join(tmpdir(), 'zeroscope-store-'));
after(() => rm(root, { recursive: true, force: true }));
let dirs = 0;
const newDir = (): string => join(root, `s${dirs++}`);

runStoreContract('lmdb', (options) =>
  openStore({
    dataDir: newDir(),
    retention: { sweepIntervalMs: 0, ...options?.retention },
    maxTagValuesPerKey: options?.maxTagValuesPerKey,
  }),
);

const MS = 1_000_000n;
const BASE = BigInt(Date.now()) * MS;

function spansFor(trace: number, count: number, salt = 0): SpanSpec[] {
  return Array.from({ length: count }, (_, k) => ({
    traceId: traceIdOf(trace, salt),
    spanId: spanIdOf(k + 1),
    parentSpanId: k === 0 ? undefined : spanIdOf(1),
    name: `op-${k % 5}`,
    start: BASE + BigInt(trace) * MS + BigInt(k),
    end: BASE + BigInt(trace) * MS + BigInt(k) + 500_000n,
    attributes: { 'http.route': `/r/${k % 5}`, 'request.id': `${trace}-${k}` },
  }));
}

describe('lmdb store on disk', () => {
  it('keeps spans, summaries, counters and tags across a reopen', async () => {
    const dataDir = newDir();
    const first = await openStore({ dataDir, retention: { sweepIntervalMs: 0 } });
    await first.push(decodedRequest([{ service: 'order', spans: spansFor(1, 4) }]));
    await first.close();

    const second = await openStore({ dataDir, retention: { sweepIntervalMs: 0 } });
    try {
      assert.deepEqual(await second.stats(), { traces: 1, spans: 4, bytes: (await second.getTraceSummary(idHex(traceIdOf(1))))!.bytes });
      assert.equal(spansOf(decodeTracesData((await second.getTrace(idHex(traceIdOf(1))))!)).length, 4);
      assert.deepEqual(await second.tagValues('resource', 'service.name'), ['order']);
      assert.deepEqual(await second.spanNames(), ['op-0', 'op-1', 'op-2', 'op-3']);
      // A later push extends the same trace rather than starting a new one.
      await second.push(decodedRequest([{ service: 'user', spans: spansFor(1, 6).slice(4) }]));
      assert.equal((await second.getTraceSummary(idHex(traceIdOf(1))))?.spanCount, 6);
    } finally {
      await second.close();
    }
  });

  it('stores a span repeated within one request once, first copy kept, in small and large traces', async (t) => {
    const store = await openStore({ dataDir: newDir(), retention: { sweepIntervalMs: 0 } });
    t.after(() => store.close());
    // 6 spans (ids compared pairwise) and 40 (past the pairwise limit: a set of ids).
    for (const [trace, count] of [[1, 6], [2, 40]] as const) {
      const spans = spansFor(trace, count);
      const repeats = [{ ...spans[0], name: 'repeat-0' }, { ...spans[count - 1], name: 'repeat-last' }, { ...spans[2], name: 'repeat-2' }];
      await store.push(decodedRequest([{ service: 'dup', spans: [spans[0], ...repeats.slice(0, 1), ...spans.slice(1), ...repeats.slice(1)] }]));
      const stored = spansOf(decodeTracesData((await store.getTrace(idHex(traceIdOf(trace))))!));
      assert.equal(stored.length, count);
      assert.ok(stored.every((s) => !String(s.name).startsWith('repeat')), 'the first copy of each id is the one kept');
      assert.equal((await store.getTraceSummary(idHex(traceIdOf(trace))))?.spanCount, count);
    }
    assert.deepEqual(await store.stats(), { traces: 2, spans: 46, bytes: (await store.stats()).bytes });
  });

  it('refuses a data directory written by a newer format', async () => {
    const dataDir = newDir();
    await (await openStore({ dataDir, retention: { sweepIntervalMs: 0 } })).close();
    const env = open({ path: join(dataDir, 'traces'), maxDbs: 12 });
    await env.openDB({ name: 'meta' }).put('formatVersion', 99);
    await env.close();
    await assert.rejects(
      openStore({ dataDir, retention: { sweepIntervalMs: 0 } }),
      (err: unknown) => isStoreError(err, 'STORE_ERR_FORMAT_TOO_NEW') && /version 99/.test(err.message),
    );
  });

  it('keeps every acknowledged span when the process is killed', async () => {
    const dataDir = newDir();
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', fileURLToPath(new URL('./testing/durability-child.ts', import.meta.url)), dataDir],
      { cwd: fileURLToPath(new URL('../../../../../', import.meta.url)), stdio: ['ignore', 'pipe', 'inherit'] },
    );
    const acked: [number, number][] = [];
    const exited = new Promise((resolve) => child.once('exit', resolve));
    for await (const line of createInterface({ input: child.stdout! })) {
      const m = /^acked (\d+) (\d+)$/.exec(line);
      if (!m) continue;
      acked.push([Number(m[1]), Number(m[2])]);
      // Kill mid-stream: other pushes are in flight when the signal lands.
      if (acked.length === 8) child.kill('SIGKILL');
    }
    await exited;
    assert.ok(acked.length >= 8);

    const store = await openStore({ dataDir, retention: { sweepIntervalMs: 0 } });
    try {
      for (const [loop, n] of acked) {
        const summary = await store.getTraceSummary(idHex(childTraceId(loop, n)));
        assert.equal(summary?.spanCount, CHILD_SPANS_PER_PUSH, `loop ${loop} push ${n}`);
      }
      const stats = await store.stats();
      assert.ok(stats.spans >= acked.length * CHILD_SPANS_PER_PUSH);
      // Counters agree with the data that survived (no half-applied transaction).
      assert.equal(stats.spans, stats.traces * CHILD_SPANS_PER_PUSH);
    } finally {
      await store.close();
    }
  });

  it('still finds the right trace among 100k spans (sanity, not a benchmark)', async (t) => {
    const store = await openStore({ dataDir: newDir(), retention: { sweepIntervalMs: 0 } });
    t.after(() => store.close());
    const traces = 10_000;
    const perTrace = 10;
    const perRequest = 100; // traces per request: 1,000 spans
    const started = performance.now();
    for (let r = 0; r < traces / perRequest; r += 4) {
      await Promise.all(
        [0, 1, 2, 3].map((k) => {
          const first = (r + k) * perRequest;
          const spans = Array.from({ length: perRequest }, (_, i) => spansFor(first + i, perTrace)).flat();
          return store.push(decodedRequest([{ service: 'bulk', spans }]));
        }),
      );
    }
    const pushMs = performance.now() - started;
    await store.push(decodedRequest([{ service: 'rare', spans: spansFor(5, 2, 7) }]));
    t.diagnostic(`pushed ${traces * perTrace} spans in ${pushMs.toFixed(0)} ms`);

    const body = await store.getTrace(idHex(traceIdOf(4242)));
    const spans = spansOf(decodeTracesData(body!));
    assert.equal(spans.length, perTrace);
    assert.ok(spans.every((s) => idHex(s.traceId!) === idHex(traceIdOf(4242))));
    assert.deepEqual(spans.map((s) => idHex(s.spanId!)).sort(), Array.from({ length: perTrace }, (_, k) => idHex(spanIdOf(k + 1))).sort());

    const rare: string[] = [];
    for await (const trace of store.fetchTraces({ serviceNames: ['rare'] })) rare.push(trace.traceId);
    assert.deepEqual(rare, [idHex(traceIdOf(5, 7))]);
    assert.deepEqual(await store.stats(), { traces: traces + 1, spans: traces * perTrace + 2, bytes: (await store.stats()).bytes });
    assert.equal((await store.tagValues('span', 'request.id')).length, 1000, 'catalog capped');
  });
});

describe('lmdb store with an unreadable record', () => {
  it('skips it in searches (counted, logged once) and keeps serving every other trace', async () => {
    const errors: unknown[] = [];
    const store = await openStore({ dataDir: newDir(), retention: { sweepIntervalMs: 0 }, onError: (e) => errors.push(e) });
    try {
      // A lone surrogate handed to the store directly (the receivers repair it) encodes as
      // invalid UTF-8: the record is stored but cannot be decoded again.
      const poisoned = spansFor(1, 2).map((sp) => ({ traceId: idBytes(sp.traceId!), spanId: idBytes(sp.spanId), name: sp.name, startTimeUnixNano: String(nanosOf(sp.start)), endTimeUnixNano: String(nanosOf(sp.end)) }));
      await store.push({ resourceSpans: [{ resource: { attributes: [{ key: 'service.name', value: { stringValue: 'bad\ud800' } }] }, scopeSpans: [{ spans: poisoned }] }] });
      await store.push(decodedRequest([{ service: 'good', spans: spansFor(2, 3) }]));
      const seen: string[] = [];
      for (let round = 0; round < 2; round++) {
        for await (const trace of store.fetchTraces({})) seen.push(trace.traceId);
      }
      assert.deepEqual(seen, [idHex(traceIdOf(2)), idHex(traceIdOf(2))]);
      assert.equal((await store.stats()).unreadableRecords, 2);
      assert.notEqual(await store.getTrace(idHex(traceIdOf(2))), null, 'a read of another trace works');
      assert.equal(errors.length, 1, 'logged once');
      assert.match(String((errors[0] as Error).message), new RegExp(`trace ${idHex(traceIdOf(1))} has a record that cannot be read`));
    } finally {
      await store.close();
    }
  });
});
