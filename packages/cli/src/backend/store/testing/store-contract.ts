/**
 * The contract every TraceStore meets, as one node:test suite that each implementation's test
 * file runs (`runStoreContract('lmdb', open)`). Not part of the barrel: it imports node:test.
 */
import assert from 'node:assert/strict';
import { describe, it, type TestContext } from 'node:test';
import type { QueryTrace } from '../../query/storage.ts';
import { decodeProtobufRequest, otlpTypes } from '../../otlp/index.ts';
import type { RetentionOptions, TraceStore } from '../types.ts';
import { isStoreError } from '../errors.ts';
import { decodedRequest, idHex, lengthDelimited, spanIdOf, traceIdOf, type SpanSpec } from '../../otlp/testing/trace-builder.ts';
import { decodeTracesData, plain, richRequest, spanObject, spansOf } from './fixtures.ts';

/** What the suite may ask of a fresh store. */
export interface ContractOpenOptions {
  retention?: RetentionOptions;
  maxTagValuesPerKey?: number;
  maxTagKeysPerScope?: number;
  maxTagValues?: number;
}

/** Opens a fresh, empty store. */
export type OpenForContract = (options?: ContractOpenOptions) => Promise<TraceStore>;

const MS = 1_000_000n;
const BASE = 1_700_000_000_000n * MS;

/** Runs the shared store contract against one implementation. */
export function runStoreContract(name: string, open: OpenForContract): void {
  const fresh = async (t: TestContext, options?: ContractOpenOptions): Promise<TraceStore> => {
    const store = await open(options);
    t.after(() => store.close());
    return store;
  };

  describe(`${name} store contract`, () => {
    it('returns pushed spans losslessly, grouped under their resource and scope', async (t) => {
      const store = await fresh(t);
      const request = richRequest(BASE);
      assert.deepEqual(await store.push(request), { acceptedSpans: 3 });
      const body = await store.getTrace(idHex(traceIdOf(1, 9)));
      assert.ok(body);
      const out = decodeTracesData(body);
      // Resource and scope groups with plain values, for deep comparison.
      const groupsOf = (message: typeof request) =>
        (message.resourceSpans ?? []).map((rs) => ({
          resource: plain(rs.resource),
          schemaUrl: rs.schemaUrl ?? '',
          scopes: (rs.scopeSpans ?? []).map((ss) => ({
            scope: plain(ss.scope),
            schemaUrl: ss.schemaUrl ?? '',
            spans: (ss.spans ?? []).map(spanObject),
          })),
        }));
      const inputGroups = groupsOf(request);
      const outputGroups = groupsOf(out);
      const byService = (groups: typeof inputGroups) =>
        [...groups].sort((a, b) => JSON.stringify(a.resource).localeCompare(JSON.stringify(b.resource)));
      assert.deepEqual(byService(outputGroups), byService(inputGroups));
      // A field that protobufjs would drop if it were not carried through: the 2^53+ int.
      const first = outputGroups.flatMap((g) => g.scopes.flatMap((s) => s.spans))[0];
      assert.ok(JSON.stringify(first).includes('-9007199254740993'));
    });

    it('decodes stored spans into the query model', async (t) => {
      const store = await fresh(t);
      await store.push(richRequest(BASE));
      const traces = await collect(store.fetchTraces({}));
      assert.equal(traces.length, 1);
      const spans = new Map(traces[0].spans.map((s) => [s.name + '/' + s.serviceName, s]));
      const root = spans.get('GET /api/order/:id/order');
      const server = spans.get('user.User/Get/user');
      assert.ok(root && server);
      assert.equal(root.parentSpanId, '');
      assert.equal(server.parentSpanId, idHex(spanIdOf(2, 9)));
      assert.equal(root.kind, 2);
      assert.equal(root.statusCode, 2);
      assert.equal(root.statusMessage, 'boom');
      assert.equal(root.startTimeUnixNano, BASE);
      assert.equal(root.durationNanos, 5_000_000);
      assert.equal(root.scopeName, 'zeroscope/rest');
      assert.equal(root.scopeVersion, '0.1.0');
      assert.equal(root.resource['service.name'], 'order');
      assert.equal(root.attributes['str'], 'héllo ✓');
      assert.equal(root.attributes['int'], -9007199254740993n);
      assert.equal(root.attributes['int.small'], 42);
      assert.equal(root.attributes['bytes'], Buffer.from([0, 1, 254, 255]).toString('base64'));
      assert.deepEqual(root.attributes['array'], ['a', 7, []]);
      assert.deepEqual(root.attributes['kvlist'], { nested: { deep: 'CQ==' }, empty: null });
      assert.equal(root.events[0].name, 'message');
      assert.equal(root.events[0].timeUnixNano, BASE + 1n);
      assert.equal(root.links[0].traceId, idHex(traceIdOf(2, 9)));
      assert.equal(root.links[0].attributes['double'], 3.25);
    });

    it('fills at least the asked columns, exactly as a full fetch does', async (t) => {
      const store = await fresh(t);
      await store.push(richRequest(BASE));
      const [whole] = await collect(store.fetchTraces({}));
      const [some] = await collect(store.fetchTraces({ columns: { spanAttributes: ['int', 'array'], events: false, links: true } }));
      const byId = new Map(whole.spans.map((s) => [s.spanId, s]));
      assert.equal(some.spans.length, whole.spans.length);
      for (const span of some.spans) {
        const full = byId.get(span.spanId)!;
        const { attributes, events, ...rest } = span;
        const { attributes: fullAttributes, events: fullEvents, ...fullRest } = full;
        assert.deepStrictEqual(rest, fullRest);
        assert.deepStrictEqual(attributes.int, fullAttributes.int);
        assert.deepStrictEqual(attributes.array, fullAttributes.array);
        void events;
        void fullEvents;
      }
    });

    it('joins one trace pushed in three requests from two services, children first', async (t) => {
      const store = await fresh(t);
      const id = traceIdOf(50);
      const root: SpanSpec = { traceId: id, spanId: spanIdOf(1), name: 'GET /x', start: BASE, end: BASE + 30n * MS };
      const client: SpanSpec = { traceId: id, spanId: spanIdOf(2), parentSpanId: spanIdOf(1), name: 'user.User/Get', kind: 3, start: BASE + 5n * MS, end: BASE + 25n * MS };
      const server: SpanSpec = { traceId: id, spanId: spanIdOf(3), parentSpanId: spanIdOf(2), name: 'user.User/Get', start: BASE + 10n * MS, end: BASE + 20n * MS, error: true };
      await store.push(decodedRequest([{ service: 'user', spans: [server] }]));
      const early = await store.getTraceSummary(idHex(id));
      assert.equal(early?.rootServiceName, '');
      assert.equal(early?.spanCount, 1);
      await store.push(decodedRequest([{ service: 'order', spans: [client] }]));
      await store.push(decodedRequest([{ service: 'order', spans: [root] }]));

      const summary = await store.getTraceSummary(idHex(id));
      assert.ok(summary);
      assert.equal(summary.rootServiceName, 'order');
      assert.equal(summary.rootSpanName, 'GET /x');
      assert.equal(summary.spanCount, 3);
      assert.equal(summary.errorCount, 1);
      assert.equal(summary.startUnixNano, BASE);
      assert.equal(summary.endUnixNano, BASE + 30n * MS);
      assert.equal(summary.durationNanos, 30_000_000);
      assert.deepEqual({ ...summary.serviceStats }, {
        user: { spanCount: 1, errorCount: 1 },
        order: { spanCount: 2, errorCount: 0 },
      });

      const body = decodeTracesData((await store.getTrace(idHex(id)))!);
      const groups = (body.resourceSpans ?? []).map((rs) => ({
        service: plain(rs.resource?.attributes?.[0]?.value),
        spans: (rs.scopeSpans ?? []).flatMap((ss) => (ss.spans ?? []).map((s) => s.name)).sort(),
      }));
      assert.deepEqual(groups.sort((a, b) => (a.spans.length - b.spans.length)), [
        { service: { stringValue: 'user' }, spans: ['user.User/Get'] },
        { service: { stringValue: 'order' }, spans: ['GET /x', 'user.User/Get'] },
      ]);

      // The indexes follow the start that moved earlier when the root arrived.
      const byUser = await collect(store.fetchTraces({ serviceNames: ['user'], startUnixNano: BASE, endUnixNano: BASE + MS }));
      assert.deepEqual(byUser.map((tr) => tr.traceId), [idHex(id)]);
      assert.equal(byUser[0].spans.length, 3);
    });

    it('keeps the bytes a protobuf span arrived in, unknown fields included', async (t) => {
      const store = await fresh(t);
      const span = richRequest(BASE).resourceSpans![0].scopeSpans![0].spans![0];
      const spanBytes = Buffer.concat([
        otlpTypes.Span.encode(otlpTypes.Span.fromObject(span)).finish(),
        Buffer.from([0xf8, 0x07, 0x2a]), // field 127, not in the schema, = 42
      ]);
      // ExportTraceServiceRequest.resource_spans[0].scope_spans[0].spans[0]
      const body = lengthDelimited(0x0a, lengthDelimited(0x12, lengthDelimited(0x12, spanBytes)));
      assert.deepEqual(await store.push(decodeProtobufRequest(body) as never), { acceptedSpans: 1 });
      const stored = Buffer.from((await store.getTrace(idHex(span.traceId as Uint8Array)))!);
      assert.ok(stored.indexOf(spanBytes) >= 0, 'the span is stored as received');
    });

    it('stores a repeated span once', async (t) => {
      const store = await fresh(t);
      const span: SpanSpec = { traceId: traceIdOf(60), spanId: spanIdOf(1), name: 'a', start: BASE, end: BASE + MS };
      await store.push(decodedRequest([{ service: 's', spans: [span, span] }]));
      const again = await store.push(decodedRequest([{ service: 's', spans: [span] }]));
      assert.equal(again.acceptedSpans, 1);
      assert.equal((await store.getTraceSummary(idHex(traceIdOf(60))))?.spanCount, 1);
      assert.equal((await store.stats()).spans, 1);
      const body = decodeTracesData((await store.getTrace(idHex(traceIdOf(60))))!);
      assert.equal(spansOf(body).length, 1);
    });

    it('rejects a request with an invalid id, storing none of it', async (t) => {
      const store = await fresh(t);
      const good: SpanSpec = { traceId: traceIdOf(70), spanId: spanIdOf(1), name: 'ok', start: BASE, end: BASE + MS };
      const cases: [string, Partial<SpanSpec>][] = [
        ['short trace id', { traceId: new Uint8Array(8).fill(1) }],
        ['zero trace id', { traceId: new Uint8Array(16) }],
        ['long span id', { spanId: new Uint8Array(16).fill(1) }],
        ['bad parent id', { parentSpanId: new Uint8Array(3).fill(1) }],
      ];
      for (const [label, patch] of cases) {
        await assert.rejects(
          store.push(decodedRequest([{ service: 's', spans: [good, { ...good, spanId: spanIdOf(2), ...patch }] }])),
          (err: unknown) => isStoreError(err, 'STORE_ERR_INVALID_SPAN') && err.status === 400,
          label,
        );
      }
      assert.equal(await store.getTrace(idHex(traceIdOf(70))), null);
      assert.equal((await store.stats()).spans, 0);
    });

    it('stores a span whose id is all zero, as Tempo does', async (t) => {
      const store = await fresh(t);
      const zero: SpanSpec = { traceId: traceIdOf(71), spanId: new Uint8Array(8), name: 'zero', start: BASE, end: BASE + MS };
      assert.equal((await store.push(decodedRequest([{ service: 's', spans: [zero] }]))).acceptedSpans, 1);
      assert.notEqual(await store.getTrace(idHex(traceIdOf(71))), null);
      assert.equal((await store.stats()).spans, 1);
    });

    it('looks traces up by id: unknown, short ids, bad ids and time ranges', async (t) => {
      const store = await fresh(t);
      const shortId = new Uint8Array(16);
      shortId[15] = 0xab;
      const span: SpanSpec = { traceId: shortId, spanId: spanIdOf(1), name: 'a', start: BASE, end: BASE + MS };
      await store.push(decodedRequest([{ service: 's', spans: [span] }]));
      assert.equal(await store.getTrace(idHex(traceIdOf(999))), null);
      assert.ok(await store.getTrace('ab'), 'a short id is left-padded');
      assert.ok(await store.getTrace('000000000000000000000000000000AB'), 'upper-case hex');
      await assert.rejects(store.getTrace('xyz'), (err: unknown) => isStoreError(err, 'STORE_ERR_INVALID_TRACE_ID'));
      assert.ok(await store.getTrace('ab', { startUnixNano: BASE - MS, endUnixNano: BASE }));
      assert.equal(await store.getTrace('ab', { startUnixNano: BASE + 2n * MS }), null);
      assert.equal(await store.getTrace('ab', { endUnixNano: BASE - 1n }), null);
    });

    it('fetches newest first and honours every hint', async (t) => {
      const store = await fresh(t);
      const S = 1000n * MS;
      const trace = (n: number, service: string, name: string, startS: bigint, durNs: bigint, child?: string): SpanSpec[] => {
        const id = traceIdOf(n);
        const spans: SpanSpec[] = [{ traceId: id, spanId: spanIdOf(1), name, start: BASE + startS, end: BASE + startS + durNs }];
        if (child) spans.push({ traceId: id, spanId: spanIdOf(2), parentSpanId: spanIdOf(1), name: 'user.User/Get', start: BASE + startS + MS, end: BASE + startS + 2n * MS });
        return spans.map((s) => ({ ...s, attributes: { svc: service } }));
      };
      const t1 = trace(1, 'order', 'GET /a', 1n * S, 100n * MS, 'user');
      const t2 = trace(2, 'order', 'GET /b', 2n * S, 5n * MS);
      const t3 = trace(3, 'billing', 'charge', 3n * S, 2n * S);
      const t4 = trace(4, 'order', 'GET /a', 4n * S, 50n * MS);
      const t5 = trace(5, 'audit', 'write', S / 2n, MS);
      // Pushed in a mixed order; the user span of t1 comes from its own service.
      await store.push(decodedRequest([{ service: 'order', spans: [...t4, t1[0], ...t2] }, { service: 'user', spans: [t1[1]] }]));
      await store.push(decodedRequest([{ service: 'billing', spans: t3 }, { service: 'audit', spans: t5 }]));
      const ids = async (req: Parameters<TraceStore['fetchTraces']>[0]) =>
        (await collect(store.fetchTraces(req))).map((tr) => Number.parseInt(tr.traceId.slice(-8), 16));

      assert.deepEqual(await ids({}), [4, 3, 2, 1, 5]);
      assert.deepEqual(await ids({ serviceNames: ['user'] }), [1]);
      assert.deepEqual(await ids({ serviceNames: ['audit', 'billing', 'nope'] }), [3, 5]);
      assert.deepEqual(await ids({ spanNames: ['GET /a'] }), [4, 1]);
      assert.deepEqual(await ids({ spanNames: ['user.User/Get', 'write'] }), [1, 5]);
      assert.deepEqual(await ids({ serviceNames: ['order'], spanNames: ['GET /b'] }), [2]);
      assert.deepEqual(await ids({ startUnixNano: BASE + 1900n * MS, endUnixNano: BASE + 3500n * MS }), [3, 2]);
      // t3 started well before this window but is still running in it.
      assert.deepEqual(await ids({ startUnixNano: BASE + 4500n * MS, endUnixNano: BASE + 4600n * MS }), [3]);
      assert.deepEqual(await ids({ startUnixNano: BASE + 4500n * MS }), [3]);
      assert.deepEqual(await ids({ endUnixNano: BASE + 1500n * MS }), [1, 5]);
      assert.deepEqual(await ids({ minTraceDurationNanos: 1e9 }), [3]);
      assert.deepEqual(await ids({ maxTraceDurationNanos: 10e6 }), [2, 5]);
      assert.deepEqual(await ids({ minTraceDurationNanos: 40e6, maxTraceDurationNanos: 200e6, serviceNames: ['order'] }), [4, 1]);

      // A consumer may stop early.
      for await (const first of store.fetchTraces({})) {
        assert.equal(first.spans.length, 1);
        break;
      }
      const summaries = await store.listTraceSummaries({ serviceNames: ['order'], limit: 2 });
      assert.deepEqual(summaries.map((s) => [s.rootSpanName, s.spanCount]), [['GET /a', 1], ['GET /b', 1]]);
      assert.equal((await store.listTraceSummaries({})).length, 5);
      assert.deepEqual((await store.listTraceSummaries({ limit: 1, startUnixNano: BASE + 4500n * MS }))[0]?.rootServiceName, 'billing');
    });

    it('finds a trace by any span name even past the per-trace name cap', async (t) => {
      const store = await fresh(t);
      const id = traceIdOf(200);
      const spans: SpanSpec[] = Array.from({ length: 300 }, (_, k) => ({
        traceId: id,
        spanId: spanIdOf(k + 1),
        parentSpanId: k === 0 ? undefined : spanIdOf(1),
        name: `name-${k}`,
        start: BASE + BigInt(k),
        end: BASE + MS,
      }));
      await store.push(decodedRequest([{ service: 's', spans }]));
      await store.push(decodedRequest([{ service: 's', spans: [{ traceId: traceIdOf(201), spanId: spanIdOf(1), name: 'other', start: BASE, end: BASE + MS }] }]));
      const found = await collect(store.fetchTraces({ spanNames: ['name-299'] }));
      assert.deepEqual(found.map((tr) => tr.traceId), [idHex(id)]);
      assert.equal(found[0].spans.length, 300);
    });

    it('keeps a tag catalog with a cap on values per key', async (t) => {
      const store = await fresh(t, { maxTagValuesPerKey: 3 });
      const spans: SpanSpec[] = Array.from({ length: 5 }, (_, i) => ({
        traceId: traceIdOf(80 + i),
        spanId: spanIdOf(1),
        name: `op-${i % 2}`,
        start: BASE,
        end: BASE + MS,
        attributes: { 'http.method': i % 2 ? 'GET' : 'POST', 'request.id': `r${i}`, 'http.status_code': 200, ok: true },
      }));
      await store.push(decodedRequest([{ service: 'order', attributes: { 'host.name': 'laptop' }, spans }]));
      assert.deepEqual(await store.tagNames('resource'), ['host.name', 'service.name']);
      assert.deepEqual(await store.tagNames('span'), ['http.method', 'http.status_code', 'ok', 'request.id']);
      assert.deepEqual(await store.tagValues('span', 'http.method'), ['GET', 'POST']);
      assert.deepEqual(await store.tagValues('span', 'http.status_code'), [200]);
      assert.deepEqual(await store.tagValues('span', 'ok'), [true]);
      assert.equal((await store.tagValues('span', 'request.id')).length, 3, 'capped');
      assert.equal((await store.tagValues('span', 'request.id', { limit: 2 })).length, 2);
      assert.deepEqual(await store.tagValues('resource', 'service.name'), ['order']);
      assert.deepEqual(await store.tagValues('span', 'missing'), []);
      assert.deepEqual(await store.spanNames(), ['op-0', 'op-1']);
    });

    it('caps the tag catalog at keys per scope and values in all, and says which scopes are partial', async (t) => {
      const store = await fresh(t, { maxTagKeysPerScope: 3, maxTagValues: 8 });
      // Ids made into keys (a key per user), each with its own value, as a careless client sends them.
      const attributes: Record<string, string> = {};
      for (let i = 0; i < 50; i++) attributes[`user.${String(i).padStart(2, '0')}`] = `u${i}`;
      const span = (n: number, extra: Record<string, string | number> = {}): SpanSpec => ({ traceId: traceIdOf(300 + n), spanId: spanIdOf(1), name: `op-${n}`, start: BASE, end: BASE + MS, attributes: { ...attributes, ...extra } });
      await store.push(decodedRequest([{ service: 'order', spans: [span(0)] }]));
      assert.equal(store.tagCatalogPartial('resource'), false);
      assert.equal(store.tagCatalogPartial('span'), true);
      assert.deepEqual(await store.tagNames('span'), ['user.00', 'user.01', 'user.02']);
      assert.deepEqual(await store.tagValues('span', 'user.01'), ['u1']);
      assert.deepEqual(await store.tagValues('resource', 'service.name'), ['order']);
      // Values in all (here 8): span names and values of known keys stop once it is spent.
      for (let n = 1; n <= 10; n++) await store.push(decodedRequest([{ service: 'order', spans: [span(n)] }]));
      const names = await store.spanNames();
      const kept = names.length + (await store.tagValues('resource', 'service.name')).length + 3;
      assert.equal(kept, 8, `kept ${names.join(',')}`);
      assert.equal(store.tagCatalogPartial('intrinsic'), true);
      // The spans themselves are all stored, whatever the catalog kept.
      assert.deepEqual((await collect(store.fetchTraces({ spanNames: ['op-10'] }))).length, 1);
    });

    it('sweeps traces older than maxAge by their end', async (t) => {
      const store = await fresh(t, { retention: { maxAgeMs: 60 * 60 * 1000, sweepIntervalMs: 0 } });
      const now = BigInt(Date.now()) * MS;
      const hour = 3_600_000n * MS;
      const old: SpanSpec = { traceId: traceIdOf(90), spanId: spanIdOf(1), name: 'old', start: now - 3n * hour, end: now - 2n * hour };
      // Started long ago but still ended recently: kept.
      const long: SpanSpec = { traceId: traceIdOf(91), spanId: spanIdOf(1), name: 'long', start: now - 3n * hour, end: now - MS };
      const recent: SpanSpec = { traceId: traceIdOf(92), spanId: spanIdOf(1), name: 'new', start: now - 2n * MS, end: now - MS };
      await store.push(decodedRequest([{ service: 's', spans: [old, long, recent] }]));
      assert.deepEqual(await store.sweep(), { deletedTraces: 1, deletedSpans: 1 });
      assert.equal(await store.getTrace(idHex(traceIdOf(90))), null);
      assert.equal(await store.getTraceSummary(idHex(traceIdOf(90))), null);
      assert.ok(await store.getTrace(idHex(traceIdOf(91))));
      assert.deepEqual((await collect(store.fetchTraces({}))).length, 2);
      assert.deepEqual(await collect(store.fetchTraces({ spanNames: ['old'] })), []);
      assert.deepEqual(await store.stats(), { traces: 2, spans: 2, bytes: (await store.listTraceSummaries()).reduce((n, s) => n + s.bytes, 0) });
      assert.deepEqual(await store.sweep(), { deletedTraces: 0, deletedSpans: 0 });
    });

    it('sweeps the oldest traces until under maxBytes', async (t) => {
      const now = BigInt(Date.now()) * MS;
      const traceAt = (n: number): SpanSpec[] =>
        [1, 2].map((s) => ({ traceId: traceIdOf(100 + n), spanId: spanIdOf(s), name: 'same-size', start: now - 10_000n * MS + BigInt(n) * MS, end: now - 9_000n * MS + BigInt(n) * MS }));
      const probe = await fresh(t);
      await probe.push(decodedRequest([{ service: 's', spans: traceAt(0) }]));
      const perTrace = (await probe.stats()).bytes;
      assert.ok(perTrace > 0);

      const store = await fresh(t, { retention: { maxBytes: Math.floor(perTrace * 2.5), sweepIntervalMs: 0 } });
      // Pushed newest first so that insertion order cannot stand in for age.
      for (const n of [5, 4, 3, 2, 1]) await store.push(decodedRequest([{ service: 's', spans: traceAt(n) }]));
      assert.equal((await store.stats()).bytes, perTrace * 5);
      assert.deepEqual(await store.sweep(), { deletedTraces: 3, deletedSpans: 6 });
      const left = (await store.listTraceSummaries()).map((s) => s.traceId);
      assert.deepEqual(left, [idHex(traceIdOf(105)), idHex(traceIdOf(104))]);
      assert.deepEqual(await store.stats(), { traces: 2, spans: 4, bytes: perTrace * 2 });
    });

    it('refuses use after close, and closes twice quietly', async () => {
      const store = await open();
      await store.close();
      await store.close();
      await assert.rejects(store.push(decodedRequest([])), (err: unknown) => isStoreError(err, 'STORE_ERR_CLOSED'));
      await assert.rejects(store.getTrace('ab'), (err: unknown) => isStoreError(err, 'STORE_ERR_CLOSED'));
    });
  });
}

async function collect(iterable: AsyncIterable<QueryTrace>): Promise<QueryTrace[]> {
  const out: QueryTrace[] = [];
  for await (const item of iterable) out.push(item);
  return out;
}

