import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { decodeLogsJsonRequest } from '../otlp/index.ts';
import { LogStoreError, openLogStore } from './index.ts';

const TRACE_A = 'aaaa0000000000000000000000000001';
const TRACE_B = 'bbbb0000000000000000000000000002';
const T0 = 1_700_000_000_000_000_000n;
const at = (ms: number) => String(T0 + BigInt(ms) * 1_000_000n);

interface Spec { service: string; ms: number; sev: number; body: string; traceId?: string; spanId?: string; attrs?: Record<string, string> }

function request(specs: Spec[]) {
  return decodeLogsJsonRequest(
    JSON.stringify({
      resourceLogs: specs.map((s) => ({
        resource: { attributes: [{ key: 'service.name', value: { stringValue: s.service } }] },
        scopeLogs: [
          {
            scope: { name: 'test', version: '1' },
            logRecords: [
              {
                timeUnixNano: at(s.ms),
                severityNumber: s.sev,
                body: { stringValue: s.body },
                traceId: s.traceId ?? '',
                spanId: s.spanId ?? '',
                attributes: Object.entries(s.attrs ?? {}).map(([key, v]) => ({ key, value: { stringValue: v } })),
              },
            ],
          },
        ],
      })),
    }),
  );
}

const SPECS: Spec[] = [
  { service: 'order', ms: 1, sev: 9, body: 'request started', traceId: TRACE_A, spanId: '00000000000000a1' },
  { service: 'user', ms: 2, sev: 9, body: 'looking up user 42', traceId: TRACE_A, spanId: '00000000000000a2', attrs: { 'user.id': '42' } },
  { service: 'order', ms: 3, sev: 17, body: 'request failed', traceId: TRACE_A, spanId: '00000000000000a1' },
  { service: 'order', ms: 4, sev: 13, body: 'slow downstream', traceId: TRACE_B, spanId: '00000000000000b1' },
  { service: 'order', ms: 5, sev: 0, body: 'boot complete' },
];

describe('openLogStore (lmdb)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'zeroscope-logstore-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('stores records durably, idempotently, and finds them by trace, service, level, text, span and time', async () => {
    let store = await openLogStore({ dataDir: dir });
    assert.deepEqual(await store.push(request(SPECS)), { acceptedLogRecords: 5 });
    await store.push(request(SPECS)); // a retried export
    assert.deepEqual(await store.stats(), { logRecords: 5 });
    await store.close();
    store = await openLogStore({ dataDir: dir });
    try {
      assert.deepEqual(await store.stats(), { logRecords: 5 });
      const bodies = (logs: { body?: { stringValue?: string } }[]) => logs.map((l) => l.body?.stringValue);

      const trace = await store.traceLogs(TRACE_A);
      assert.deepEqual(bodies(trace), ['request started', 'looking up user 42', 'request failed'], 'oldest first');
      assert.equal(trace[1].serviceName, 'user');
      assert.equal(trace[1].spanId, '00000000000000a2');
      assert.equal(trace[1].level, 'info');
      assert.equal(trace[1].timeUnixNano, at(2));
      assert.deepEqual(trace[1].attributes, [{ key: 'user.id', value: { stringValue: '42' } }]);
      assert.deepEqual(trace[1].resource, [{ key: 'service.name', value: { stringValue: 'user' } }]);
      assert.equal(trace[1].scopeName, 'test');

      const order = await store.search({ serviceName: 'order' });
      assert.deepEqual(bodies(order.logs), ['boot complete', 'slow downstream', 'request failed', 'request started'], 'newest first');
      assert.equal(order.truncated, false);
      assert.deepEqual(bodies((await store.search({ levels: ['error'] })).logs), ['request failed']);
      assert.deepEqual(bodies((await store.search({ levels: ['warn', 'error'] })).logs), ['slow downstream', 'request failed']);
      assert.deepEqual(bodies((await store.search({ text: 'USER.ID=42' })).logs), ['looking up user 42'], 'attributes match as key=value');
      assert.deepEqual(bodies((await store.search({ text: 'request', serviceName: 'order', limit: 1 })).logs), ['request failed']);
      assert.deepEqual(bodies((await store.search({ traceId: TRACE_A, spanId: '00000000000000a1' })).logs), ['request failed', 'request started']);
      assert.deepEqual(bodies((await store.search({ startUnixNano: BigInt(at(2)), endUnixNano: BigInt(at(3)) })).logs), ['request failed', 'looking up user 42']);
      assert.equal((await store.search({ serviceName: 'nobody' })).logs.length, 0);
      const noTrace = (await store.search({ text: 'boot' })).logs[0];
      assert.equal(noTrace.traceId, '');
      assert.equal(noTrace.level, 'unspecified');
      await assert.rejects(store.traceLogs('xyz'), (e: unknown) => e instanceof LogStoreError && e.code === 'LOGSTORE_ERR_INVALID_ID');
    } finally {
      await store.close();
    }
  });

  it('stops a scan at its budget and says so', async () => {
    const store = await openLogStore({ dataDir: dir, maxScan: 2 });
    try {
      const result = await store.search({ text: 'no such text' });
      assert.equal(result.truncated, true);
      assert.equal(result.logs.length, 0);
    } finally {
      await store.close();
    }
  });

  it('sweeps records past retention with their index entries', async () => {
    const store = await openLogStore({ dataDir: dir, maxAgeMs: 60_000 });
    try {
      // "Now" is 3.5 ms + 1 minute after T0: the first three records are past a minute old.
      const { deletedLogRecords } = await store.sweep(BigInt(at(3)) + 500_000n + 60_000_000_000n);
      assert.equal(deletedLogRecords, 3);
      assert.deepEqual(await store.stats(), { logRecords: 2 });
      assert.deepEqual(await store.traceLogs(TRACE_A), []);
      assert.equal((await store.search({ levels: ['error'] })).logs.length, 0);
      assert.equal((await store.search({ serviceName: 'order' })).logs.length, 2);
    } finally {
      await store.close();
    }
    await assert.rejects(store.search(), (e: unknown) => e instanceof LogStoreError && e.code === 'LOGSTORE_ERR_CLOSED');
  });
});
