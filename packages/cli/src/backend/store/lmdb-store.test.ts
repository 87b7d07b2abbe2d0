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
import { CHILD_SPANS_PER_PART, CHILD_SPANS_PER_PUSH, childTraceId, partService, splitTraceId } from './testing/durability-child.ts';
import { idHex, decodedRequest, nanosOf, idBytes, spanIdOf, traceIdOf, type ResourceSpec, type SpanSpec } from '../otlp/testing/trace-builder.ts';
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
    maxTagKeysPerScope: options?.maxTagKeysPerScope,
    maxTagValues: options?.maxTagValues,
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

/** Runs durability-child.ts on `dataDir`, SIGKILLs it after a few acknowledgements, returns them all. */
async function pushUntilKilled(dataDir: string, mode?: 'split'): Promise<[number, number][]> {
  // Split parts are small and quick: more of them, so that the kill lands among merges.
  const killAfter = mode === 'split' ? 60 : 8;
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', fileURLToPath(new URL('./testing/durability-child.ts', import.meta.url)), dataDir, ...(mode ? [mode] : [])],
    { cwd: fileURLToPath(new URL('../../../../../', import.meta.url)), stdio: ['ignore', 'pipe', 'inherit'] },
  );
  const acked: [number, number][] = [];
  const exited = new Promise((resolve) => child.once('exit', resolve));
  for await (const line of createInterface({ input: child.stdout! })) {
    const m = /^acked (\d+) (\d+)$/.exec(line);
    if (!m) continue;
    acked.push([Number(m[1]), Number(m[2])]);
    // Kill mid-stream: other pushes are in flight when the signal lands.
    if (acked.length === killAfter) child.kill('SIGKILL');
  }
  await exited;
  assert.ok(acked.length >= killAfter);
  return acked;
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

  it('reloads the tag catalog within the caps it is opened with (a catalog written under larger ones)', async () => {
    const dataDir = newDir();
    const first = await openStore({ dataDir, retention: { sweepIntervalMs: 0 } });
    const attributes = Object.fromEntries(Array.from({ length: 20 }, (_, i) => [`key.${String(i).padStart(2, '0')}`, `v${i}`]));
    await first.push(decodedRequest([{ service: 'order', spans: [{ traceId: traceIdOf(1), spanId: spanIdOf(1), name: 'op', start: BASE, end: BASE + MS, attributes }] }]));
    assert.equal((await first.tagNames('span')).length, 20);
    assert.equal(first.tagCatalogPartial('span'), false);
    await first.close();

    const second = await openStore({ dataDir, retention: { sweepIntervalMs: 0 }, maxTagKeysPerScope: 5 });
    try {
      assert.equal((await second.tagNames('span')).length, 5);
      assert.equal(second.tagCatalogPartial('span'), true);
      assert.deepEqual(await second.tagValues('resource', 'service.name'), ['order']);
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
    const acked = await pushUntilKilled(dataDir);
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

  it('keeps every acknowledged part of traces split over several exports when the process is killed between parts', async () => {
    const dataDir = newDir();
    const acked = await pushUntilKilled(dataDir, 'split');
    const store = await openStore({ dataDir, retention: { sweepIntervalMs: 0 } });
    try {
      for (const [loop, n] of acked) {
        const summary = await store.getTraceSummary(splitTraceId(n));
        assert.equal(summary?.serviceStats[partService(loop)]?.spanCount, CHILD_SPANS_PER_PART, `loop ${loop}'s part of trace ${n}`);
      }
      // Every stored trace's summary and indexes agree with its stored spans: a commit is whole or absent.
      const stats = await store.stats();
      let spans = 0;
      const traces = await store.listTraceSummaries({ limit: 1_000_000 });
      assert.equal(traces.length, stats.traces);
      for (const summary of traces) {
        const stored = spansOf(decodeTracesData((await store.getTrace(summary.traceId))!));
        assert.equal(summary.spanCount, stored.length, `trace ${summary.traceId}`);
        spans += stored.length;
        const byService = await collectTraces(store.fetchTraces({ serviceNames: Object.keys(summary.serviceStats), startUnixNano: summary.startUnixNano, endUnixNano: summary.startUnixNano }));
        assert.ok(byService.some((t) => t.traceId === summary.traceId), `trace ${summary.traceId} is indexed at its start`);
      }
      assert.equal(stats.spans, spans);
      assert.ok(acked.some(([loop]) => loop !== 0), 'parts of several services were acknowledged');
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

/** Write transactions committed in a closed store's environment so far. */
async function committedTransactions(dataDir: string): Promise<number> {
  const env = open({ path: join(dataDir, 'traces'), maxDbs: 12 });
  try {
    return (env.getStats() as { lastTxnId: number }).lastTxnId;
  } finally {
    await env.close();
  }
}

async function collectTraces(iterable: AsyncIterable<{ traceId: string; spans: unknown[] }>): Promise<{ traceId: string; spans: unknown[] }[]> {
  const out: { traceId: string; spans: unknown[] }[] = [];
  for await (const trace of iterable) out.push(trace);
  return out;
}

describe('lmdb store group commit', () => {
  // Two traces over three services, exported in five parts as their services would send them:
  // children first, the root last, a part carrying both traces, and an exporter's retry of a span
  // (same id, changed content: the first copy is the one kept).
  const T1 = traceIdOf(70);
  const T2 = traceIdOf(71);
  const span = (trace: string, id: number, parent: number | undefined, name: string, from: number, to: number, extra: Partial<SpanSpec> = {}): SpanSpec => ({
    traceId: trace,
    spanId: spanIdOf(id),
    parentSpanId: parent === undefined ? undefined : spanIdOf(parent),
    name,
    start: BASE + BigInt(from) * MS,
    end: BASE + BigInt(to) * MS,
    attributes: { 'app.step': name, 'app.n': id },
    ...extra,
  });
  const parts: ResourceSpec[][] = [
    [
      { service: 'user', spans: [span(T1, 3, 2, 'user.User/GetUser', 10, 40), span(T1, 4, 3, 'SELECT users', 12, 30, { error: true })] },
      { service: 'user', spans: [span(T2, 3, 2, 'user.User/GetUser', 110, 120)] },
    ],
    [{ service: 'inventory', spans: [span(T1, 6, 5, 'reserve stock', 52, 70)] }],
    [
      { service: 'order', spans: [span(T1, 2, 1, 'user.User/GetUser', 8, 42, { kind: 3 }), span(T1, 5, 1, 'inventory.Stock/Reserve', 50, 72, { kind: 3 })] },
      { service: 'user', spans: [span(T1, 4, 3, 'SELECT users (retried)', 12, 31)] },
    ],
    [{ service: 'order', spans: [span(T2, 1, undefined, 'GET /api/order/:id', 100, 130), span(T2, 2, 1, 'user.User/GetUser', 105, 125, { kind: 3 })] }],
    [{ service: 'order', spans: [span(T1, 1, undefined, 'GET /api/order/:id', 0, 80)] }],
  ];
  const whole = parts.flat();

  /** Everything a reader can see of the store. */
  async function view(store: Awaited<ReturnType<typeof openStore>>) {
    const ids = [idHex(T1), idHex(T2)];
    return {
      bodies: await Promise.all(ids.map(async (id) => Buffer.from((await store.getTrace(id))!).toString('hex'))),
      summaries: await Promise.all(ids.map((id) => store.getTraceSummary(id))),
      lists: await Promise.all([
        store.listTraceSummaries(),
        store.listTraceSummaries({ serviceNames: ['inventory'] }),
        store.listTraceSummaries({ spanNames: ['GET /api/order/:id'], startUnixNano: BASE + 90n * MS }),
        store.listTraceSummaries({ minTraceDurationNanos: 50_000_000 }),
      ]),
      fetched: await Promise.all([
        collectTraces(store.fetchTraces({})),
        collectTraces(store.fetchTraces({ serviceNames: ['user'], startUnixNano: BASE, endUnixNano: BASE + MS })),
        collectTraces(store.fetchTraces({ spanNames: ['SELECT users'] })),
        collectTraces(store.fetchTraces({ spanNames: ['SELECT users (retried)'] })),
      ]),
      stats: await store.stats(),
      catalog: [await store.tagNames('resource'), await store.tagNames('span'), await store.tagValues('span', 'app.step'), await store.spanNames()],
    };
  }

  it('stores a trace split over several exports exactly as one export of it, whether they share a commit or not', async () => {
    const base = newDir();
    await (await openStore({ dataDir: base, retention: { sweepIntervalMs: 0 } })).close();
    const before = await committedTransactions(base);

    const wholeDir = newDir();
    const one = await openStore({ dataDir: wholeDir, retention: { sweepIntervalMs: 0 } });
    await one.push(decodedRequest(whole));
    const expected = await view(one);
    await one.close();

    // The five exports arrive together: one group, one commit, each trace merged once.
    const groupedDir = newDir();
    const grouped = await openStore({ dataDir: groupedDir, retention: { sweepIntervalMs: 0 }, commitLingerMs: 50 });
    const results = await Promise.all(parts.map((part) => grouped.push(decodedRequest(part))));
    assert.deepEqual(results.map((r) => r.acceptedSpans), parts.map((part) => part.reduce((n, r) => n + r.spans.length, 0)));
    assert.deepEqual(await view(grouped), expected);
    await grouped.close();

    // One by one, each its own commit: the second and later parts merge with what is stored.
    const sequentialDir = newDir();
    const sequential = await openStore({ dataDir: sequentialDir, retention: { sweepIntervalMs: 0 }, commitLingerMs: 0 });
    for (const part of parts) await sequential.push(decodedRequest(part));
    assert.deepEqual(await view(sequential), expected);
    await sequential.close();

    assert.equal(expected.stats.spans, 9, 'the retried span is stored once');
    assert.ok(expected.fetched[3].length === 0, 'the retry\'s name was never stored');
    assert.equal((await committedTransactions(wholeDir)) - before, 1);
    assert.equal((await committedTransactions(groupedDir)) - before, 1, 'five exports that arrive together share one commit');
    assert.equal((await committedTransactions(sequentialDir)) - before, parts.length);
  });

  it('makes an acknowledged part readable at once, and merges the later parts into it', async () => {
    const dataDir = newDir();
    const store = await openStore({ dataDir, retention: { sweepIntervalMs: 0 }, commitLingerMs: 20 });
    const first = store.push(decodedRequest(parts[0]));
    await first;
    // Acknowledged means readable (committed): the part is there at once.
    assert.equal((await store.getTraceSummary(idHex(T1)))?.spanCount, 2);
    const rest = parts.slice(1).map((part) => store.push(decodedRequest(part)));
    await Promise.all(rest);
    assert.equal((await store.getTraceSummary(idHex(T1)))?.spanCount, 6);
    assert.equal((await store.getTraceSummary(idHex(T1)))?.rootSpanName, 'GET /api/order/:id');
    await store.close();
  });
});
