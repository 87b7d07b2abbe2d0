/**
 * The failing requests of the seed stand out in the backend's logs: order-api and user-rpc export
 * their access lines to the real backend, and a search for `level=error` (what the Logs page
 * sends when filtered to errors) finds order's `GET /api/order/999 404` and user's
 * `user.User/GetUser NOT_FOUND`, and none of the successful requests.
 */
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { startBackend, type RunningBackend } from '../../packages/cli/src/backend/app.ts';
import { resolveBackendConfig } from '../../packages/cli/src/backend/config.ts';
import { type ServiceProcess, removeTempDirs, startSeedSystem } from './harness.ts';

interface Found { serviceName: string; level: string; body?: { stringValue?: string }; traceId: string }

describe('access log levels in the backend\'s logs', () => {
  let backend: RunningBackend;
  let dataDir: string;
  let user: ServiceProcess;
  let order: ServiceProcess;
  let orderUrl: string;

  before(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'zeroscope-levels-e2e-'));
    const config = resolveBackendConfig({ dataDir, otlpHttpPort: '0', otlpGrpcPort: '0', zipkinPort: '0', queryPort: '0' }, {});
    backend = await startBackend(config);
    ({ user, order, orderUrl } = await startSeedSystem(new URL(backend.addresses.otlpHttp).host));
  });
  after(async () => {
    await order?.stop();
    await user?.stop();
    await backend?.stop();
    removeTempDirs();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  test('filtered to errors, the logs show both sides of the failed request and nothing else', async () => {
    const failed = await fetch(`${orderUrl}/api/order/999`);
    await failed.arrayBuffer();
    assert.equal(failed.status, 404);
    const traceId = failed.headers.get('traceparent')?.split('-')[1];
    const ok = await fetch(`${orderUrl}/api/order/1`);
    await ok.arrayBuffer();
    assert.equal(ok.status, 200);

    const deadline = Date.now() + 15_000;
    let found: Found[] = [];
    while (Date.now() < deadline) {
      const res = await fetch(`${backend.addresses.query}/api/logs/search?level=error&limit=50`);
      found = ((await res.json()) as { logs: Found[] }).logs;
      if (found.some((l) => l.serviceName === 'order') && found.some((l) => l.serviceName === 'user')) break;
      await new Promise((r) => setTimeout(r, 200));
    }
    const lines = found.map((l) => `${l.serviceName} ${l.level} ${l.body?.stringValue}`).sort();
    assert.ok(lines.includes('order error GET /api/order/999 404'), lines.join('\n'));
    assert.ok(lines.includes('user error user.User/GetUser NOT_FOUND'), lines.join('\n'));
    assert.ok(found.every((l) => l.traceId === traceId), `only the failed request's trace: ${lines.join('\n')}`);
  });
});
