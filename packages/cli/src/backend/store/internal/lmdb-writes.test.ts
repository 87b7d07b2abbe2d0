import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { openStore } from '../lmdb-store.ts';
import type { ExportTraceServiceRequestLike as OtlpExportRequest } from '../../otlp/index.ts';
import { decodedRequest, spanIdOf, traceIdOf, type ResourceSpec, type SpanSpec } from '../../otlp/testing/trace-builder.ts';
import { spanRange, timeKey } from './keys.ts';
import { openTables, readCounters, type Tables } from './lmdb-tables.ts';
import { writeBatch } from './lmdb-writes.ts';
import { prepareRequest } from './prepare.ts';
import { decodeSummary, type SummaryRecord } from './summary.ts';
import { TagCatalogIndex } from './tag-catalog.ts';
import { createRng } from '../../../../../../test/lib/random.ts';

const root = await mkdtemp(join(tmpdir(), 'zeroscope-writes-'));
after(() => rm(root, { recursive: true, force: true }));
let dirs = 0;
const newDir = (): string => join(root, `w${dirs++}`);

const MS = 1_000_000n;
const BASE = BigInt(Date.now()) * MS;
const SERVICES = ['order', 'user', 'inventory', 'payment'];

/**
 * A span is a function of (trace, index), so a repeat anywhere is byte-identical; a trace's parts
 * come in several requests (each from one service), with starts that move the trace's start and
 * end back and forth, span 0 being the root.
 */
function spanOf(trace: number, index: number, salt: number): SpanSpec {
  const offset = BigInt(((trace * 7919 + index * 104729) % 97) - 40) * MS;
  return {
    traceId: traceIdOf(trace, salt),
    spanId: spanIdOf(index + 1),
    parentSpanId: index === 0 ? undefined : spanIdOf(1),
    name: `op-${(trace + index) % 11}`,
    start: BASE + BigInt(trace) * 1000n * MS + offset,
    end: BASE + BigInt(trace) * 1000n * MS + offset + BigInt(1 + (index % 5)) * MS,
    error: (trace + index) % 13 === 0,
    attributes: { 'request.index': index, 'trace.number': trace },
  };
}

function requests(seed: number, count: number, salt: number): OtlpExportRequest[] {
  const next = createRng(seed).next;
  return Array.from({ length: count }, () => {
    // A span's service is fixed too (a repeat from another resource would be another copy).
    const byService = new Map<string, SpanSpec[]>();
    for (let s = 0, m = 1 + Math.floor(next() * 30); s < m; s++) {
      const trace = 1 + Math.floor(next() * 12);
      const index = Math.floor(next() * 10);
      const service = SERVICES[(trace * 3 + index) % SERVICES.length];
      byService.set(service, [...(byService.get(service) ?? []), spanOf(trace, index, salt)]);
    }
    return decodedRequest([...byService].map(([service, spans]): ResourceSpec => ({ service, spans })));
  });
}

/** The reference: each request in its own synchronous transaction, in order (the old write path). */
function applyInOrder(t: Tables, reqs: OtlpExportRequest[]): void {
  const counters = readCounters(t);
  const catalog = new TagCatalogIndex();
  for (const req of reqs) t.root.transactionSync(() => writeBatch(t, counters, prepareRequest(req, catalog)));
}

interface Dump {
  tables: Record<string, string[]>;
  summaries: Map<string, unknown>;
  counters: unknown;
}

/** Every table as sorted hex pairs; summaries decoded with their sets in a fixed order. */
function dump(t: Tables): Dump {
  const tables: Record<string, string[]> = {};
  for (const name of ['spans', 'blobs', 'byStart', 'byEnd', 'byService', 'byName'] as const) {
    tables[name] = Array.from(t[name].getRange(), (e) => `${Buffer.from(e.key).toString('hex')}=${Buffer.from(e.value).toString('hex')}`);
  }
  tables.tags = Array.from(t.tags.getKeys(), String);
  const summaries = new Map<string, unknown>();
  for (const { key, value } of t.traces.getRange()) summaries.set(Buffer.from(key).toString('hex'), normal(decodeSummary(value)));
  return { tables, summaries, counters: readCounters(t) };
}

function normal(s: SummaryRecord): unknown {
  return { ...s, services: [...s.services].sort(([a], [b]) => a.localeCompare(b)), names: [...s.names].sort() };
}

async function dumpStore(dataDir: string): Promise<Dump> {
  const t = openTables(dataDir);
  try {
    return dump(t);
  } finally {
    await t.root.close();
  }
}

describe('store writes queued on lmdb\'s writer thread', () => {
  for (const seed of [1, 7, 42]) {
    it(`store the same as one synchronous transaction per request, in order (seed ${seed})`, async () => {
      const reqs = requests(seed, 40, seed);
      const refDir = newDir();
      const ref = openTables(refDir);
      applyInOrder(ref, reqs);
      const expected = dump(ref);
      await ref.root.close();

      // One push at a time: byte-identical summaries too.
      const oneByOne = newDir();
      const store = await openStore({ dataDir: oneByOne, retention: { sweepIntervalMs: 0 } });
      for (const req of reqs) await store.push(req);
      await store.close();
      assert.deepEqual(await dumpStore(oneByOne), expected);

      // All at once: traces shared between requests wait for each other's commit; the order of
      // merges may differ, what is stored may not.
      const concurrent = newDir();
      const store2 = await openStore({ dataDir: concurrent, retention: { sweepIntervalMs: 0 } });
      const results = await Promise.all(reqs.map((req) => store2.push(req)));
      assert.deepEqual(results.map((r) => r.acceptedSpans), reqs.map((req) => prepareRequest(req).spanCount));
      await store2.close();
      assert.deepEqual(await dumpStore(concurrent), expected);
    });
  }

  it('keep summaries, indexes and counters consistent while sweeps run between pushes', async () => {
    const dataDir = newDir();
    const store = await openStore({ dataDir, retention: { sweepIntervalMs: 0, maxAgeMs: 1 } });
    const reqs = requests(99, 60, 3);
    const now = BASE + 6000n * MS; // about half of the traces have ended by then
    const work: Promise<unknown>[] = [];
    for (let i = 0; i < reqs.length; i++) {
      work.push(store.push(reqs[i]));
      if (i % 10 === 5) work.push(store.sweep(now));
    }
    await Promise.all(work);
    const stats = await store.stats();
    await store.close();

    const t = openTables(dataDir);
    try {
      const counters = readCounters(t);
      assert.deepEqual({ traces: stats.traces, spans: stats.spans, bytes: stats.bytes }, { traces: counters.traces, spans: counters.spans, bytes: counters.bytes });
      let spans = 0;
      let bytes = 0;
      let traces = 0;
      for (const { key, value } of t.traces.getRange()) {
        const s = decodeSummary(value);
        const { start, end } = spanRange(key);
        const stored = Array.from(t.spans.getRange({ start, end, inclusiveEnd: true }));
        assert.equal(s.spanCount, stored.length, 'a summary counts exactly its stored spans');
        assert.equal(s.bytes, stored.reduce((n, e) => n + e.value.length, 0));
        assert.ok(t.byStart.doesExist(timeKey(s.start, key)) && t.byEnd.doesExist(timeKey(s.end, key)));
        traces++;
        spans += stored.length;
        bytes += s.bytes;
      }
      assert.deepEqual([counters.traces, counters.spans, counters.bytes], [traces, spans, bytes]);
      assert.equal(Array.from(t.spans.getKeys()).length, spans, 'no span without a summary');
      assert.equal(Array.from(t.byStart.getKeys()).length, traces, 'no index entry left behind');
      assert.equal(Array.from(t.byEnd.getKeys()).length, traces);
    } finally {
      await t.root.close();
    }
  });
});
