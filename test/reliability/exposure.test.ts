// Exposure: `zeroscope up` binds loopback by default, refuses a non-loopback --host without a
// token, and with a token requires it on OTLP/HTTP and Zipkin (header), OTLP/gRPC (metadata), the
// query API (header) and the UI (cookie set from a one-time ?token=). CORS stays closed unless an
// origin is allowed, and UI pages carry a strict Content-Security-Policy.
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { resolveBackendConfig } from '../../packages/cli/src/backend/config.ts';
import { spawnUp, startBackendProcess, type BackendProcess } from './lib/backend-process.ts';
import { protobufBody, rawGrpcClient, sendBatch, traceIdFor, zipkinBody } from './lib/traces.ts';

const TOKEN = 'reliability-token-0123456789';

async function tempDir(t: { after(fn: () => unknown): void }): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'zeroscope-exposure-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

describe('exposure', () => {
  it('binds 127.0.0.1 by default', () => {
    assert.equal(resolveBackendConfig({}, {}).host, '127.0.0.1');
  });

  it('refuses a non-loopback --host without a token, before binding anything', async (t) => {
    const dir = await tempDir(t);
    for (const args of [['--host', '0.0.0.0'], ['--host', '::', '--auth-token', 'short']]) {
      const up = spawnUp(['--data-dir', dir, ...args]);
      const { code } = await up.exited;
      assert.equal(code, 2, up.output());
      assert.match(up.output(), /--host: (0\.0\.0\.0 is not a loopback address.*--auth-token|.*at least 16 characters)/s);
      assert.doesNotMatch(up.output(), /is up/);
    }
    assert.throws(() => resolveBackendConfig({ host: '0.0.0.0' }, {}), /ZEROSCOPE_AUTH_TOKEN/);
    assert.equal(resolveBackendConfig({ host: '0.0.0.0' }, { ZEROSCOPE_AUTH_TOKEN: TOKEN }).authToken, TOKEN);
  });

  describe('with --auth-token', () => {
    let backend: BackendProcess;

    it('starts and checks the token on every receiver', async (t) => {
      backend = await startBackendProcess({ dataDir: await tempDir(t), args: ['--auth-token', TOKEN, '--cors-origin', 'http://allowed.test'] });
      t.after(() => backend.stop());
      assert.doesNotMatch(backend.output(), new RegExp(TOKEN), 'the token is never printed');
      const grpc = rawGrpcClient(backend.addresses.otlpGrpc);
      t.after(() => grpc.close());
      const base = { otlpHttp: backend.addresses.otlpHttp, zipkin: backend.addresses.zipkin, grpc };
      const batch = (n: number) => ({ traceId: traceIdFor(5, 0, n), spans: 1, service: 'exposed' });
      for (const protocol of ['otlp-proto', 'otlp-json', 'zipkin'] as const) {
        assert.equal((await sendBatch(base, protocol, batch(0))).status, '401', protocol);
        assert.equal((await sendBatch({ ...base, headers: { authorization: 'Bearer wrong-token-wrong-token' } }, protocol, batch(0))).status, '401');
        assert.ok((await sendBatch({ ...base, headers: { authorization: `Bearer ${TOKEN}` } }, protocol, batch(1))).acked, protocol);
        assert.ok((await sendBatch({ ...base, headers: { 'x-zeroscope-token': TOKEN } }, protocol, batch(2))).acked, protocol);
      }
      assert.equal((await grpc.call(protobufBody(batch(3)))).code, 16); // UNAUTHENTICATED
      assert.equal((await grpc.call(protobufBody(batch(3)), { authorization: 'Bearer nope' })).code, 16);
      assert.equal((await grpc.call(protobufBody(batch(3)), { authorization: `Bearer ${TOKEN}` })).code, 0);
      assert.equal((await grpc.call(protobufBody(batch(4)), { 'x-zeroscope-token': TOKEN })).code, 0);
      assert.ok(zipkinBody(batch(0)).length > 0);

      const q = backend.addresses.query;
      // The query API: header required; /ready stays open for probes.
      const search = await fetch(`${q}/api/search`);
      assert.equal(search.status, 401);
      assert.match(search.headers.get('www-authenticate') ?? '', /^Bearer/);
      assert.equal((await fetch(`${q}/api/traces/${batch(1).traceId}`)).status, 401);
      assert.equal((await fetch(`${q}/api/traces/${batch(1).traceId}`, { headers: { authorization: `Bearer ${TOKEN}` } })).status, 200);
      assert.equal((await fetch(`${q}/api/search`, { headers: { 'x-zeroscope-token': TOKEN } })).status, 200);
      assert.equal((await fetch(`${q}/ready`)).status, 200);

      // The UI: 401 page, then ?token= → HttpOnly cookie + redirect without the token → pages load with the cookie.
      const denied = await fetch(`${q}/`);
      assert.equal(denied.status, 401);
      assert.match(denied.headers.get('content-security-policy') ?? '', /default-src 'none'/);
      const login = await fetch(`${q}/search?token=${TOKEN}`, { redirect: 'manual' });
      assert.equal(login.status, 303);
      assert.equal(login.headers.get('location'), '/search');
      const cookie = login.headers.get('set-cookie') ?? '';
      assert.match(cookie, /HttpOnly/);
      assert.match(cookie, /SameSite=Strict/);
      const page = await fetch(`${q}/search`, { headers: { cookie: cookie.split(';')[0]! } });
      assert.equal(page.status, 200);
      const csp = page.headers.get('content-security-policy') ?? '';
      assert.match(csp, /default-src 'none'/);
      assert.match(csp, /script-src 'self'(;|$)/);
      assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval/);
      assert.equal((await fetch(`${q}/api/search`, { headers: { cookie: cookie.split(';')[0]! } })).status, 200, 'the UI fetches with the cookie');
      assert.equal((await fetch(`${q}/search?token=wrong-wrong-wrong-wrong`, { redirect: 'manual' })).status, 401);

      // CORS: closed to other origins, open to the allowed one (preflight included, before the token check).
      const evil = await fetch(`${q}/api/search`, { headers: { origin: 'http://evil.test', authorization: `Bearer ${TOKEN}` } });
      assert.equal(evil.headers.get('access-control-allow-origin'), null);
      const allowed = await fetch(`${q}/api/search`, { headers: { origin: 'http://allowed.test', authorization: `Bearer ${TOKEN}` } });
      assert.equal(allowed.headers.get('access-control-allow-origin'), 'http://allowed.test');
      const preflight = await fetch(`${q}/api/search`, { method: 'OPTIONS', headers: { origin: 'http://allowed.test', 'access-control-request-headers': 'authorization' } });
      assert.equal(preflight.status, 204);
      assert.match(preflight.headers.get('access-control-allow-headers') ?? '', /authorization/);
      const evilPreflight = await fetch(`${q}/api/search`, { method: 'OPTIONS', headers: { origin: 'http://evil.test' } });
      assert.equal(evilPreflight.headers.get('access-control-allow-origin'), null);
      assert.notEqual(evilPreflight.status, 204);
    });
  });
});
