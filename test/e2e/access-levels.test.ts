/**
 * The failing requests of the seed stand out in the backend's logs: order-api and user-rpc export
 * their access lines to the real backend, and a search for `level=error` (what the Logs page
 * sends when filtered to errors) finds order's `GET /api/order/999 404` and user's
 * `user.User/GetUser NOT_FOUND`, and none of the successful requests.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { eventually } from '../lib/eventually.ts';
import { startSeedOnBackend, type SeedOnBackend } from './backend-harness.ts';

interface Found { serviceName: string; level: string; body?: { stringValue?: string }; traceId: string }

describe('access log levels in the backend\'s logs', () => {
  let seed: SeedOnBackend;

  before(async () => {
    seed = await startSeedOnBackend();
  });
  after(() => seed?.stop());

  test('filtered to errors, the logs show both sides of the failed request and nothing else', async () => {
    const { orderUrl, tb } = seed;
    const failed = await fetch(`${orderUrl}/api/order/999`);
    await failed.arrayBuffer();
    assert.equal(failed.status, 404);
    const traceId = failed.headers.get('traceparent')?.split('-')[1];
    const ok = await fetch(`${orderUrl}/api/order/1`);
    await ok.arrayBuffer();
    assert.equal(ok.status, 200);

    let found: Found[] = [];
    await eventually(
      () => `error lines of both services, saw ${JSON.stringify(found)}`,
      async () => {
        const res = await fetch(`${tb.api}/api/logs/search?level=error&limit=50`);
        found = ((await res.json()) as { logs: Found[] }).logs;
        return found.some((l) => l.serviceName === 'order') && found.some((l) => l.serviceName === 'user');
      },
      { timeoutMs: 15_000, pollMs: 200 },
    );
    const lines = found.map((l) => `${l.serviceName} ${l.level} ${l.body?.stringValue}`).sort();
    assert.ok(lines.includes('order error GET /api/order/999 404'), lines.join('\n'));
    assert.ok(lines.includes('user error user.User/GetUser NOT_FOUND'), lines.join('\n'));
    assert.ok(found.every((l) => l.traceId === traceId), `only the failed request's trace: ${lines.join('\n')}`);
  });
});
