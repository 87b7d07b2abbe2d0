import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { eventually } from '../../../../test/lib/eventually.ts';
import { protobufRequest } from '../backend/otlp/testing/trace-builder.ts';
import { resolveBackendConfig, startBackend, type RunningBackend } from '../backend/index.ts';
import { CliUsageError } from './errors.ts';
import { main } from './main.ts';
import { memoryIo } from './testing/index.ts';
import { uiConfig } from './ui.ts';

const TRACE = '4af7651916cd43dd8448eb211c80319c';

function exportRequest(): Uint8Array {
  const now = BigInt(Date.now()) * 1_000_000n;
  return protobufRequest([{ service: 'order', traceId: TRACE, spanId: 'b7ad6b7169203331', name: 'GET /api/order/:id', kind: 'SERVER', start: now, end: now + 5_000_000n }]);
}

/** Runs `zeroscope ui` in-process on a free port; returns its URL and how to stop it. */
async function startUi(args: string[]): Promise<{ url: string; stop: () => Promise<number> }> {
  const io = memoryIo();
  const exit = main(['ui', '--port', '0', ...args], io);
  await eventually(
    () => `the ui to start: ${[...io.stdout, ...io.stderr].join('\n')}`,
    () => io.stdout.some((l) => l.includes('Press Ctrl+C')),
    { timeoutMs: 5000, pollMs: 20 },
  );
  const url = /UI\s+(http:\/\/\S+)/.exec(io.stdout.join('\n'))?.[1];
  assert.ok(url);
  return {
    url,
    stop: async () => {
      io.stop();
      return exit;
    },
  };
}

describe('zeroscope ui --tempo-url, in front of a second zeroscope backend', () => {
  let dir: string;
  let backend: RunningBackend;
  let ui: { url: string; stop: () => Promise<number> };

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'zeroscope-ui-'));
    const config = resolveBackendConfig({ dataDir: dir, otlpHttpPort: '0', otlpGrpcPort: '0', zipkinPort: '0', queryPort: '0' }, {});
    backend = await startBackend(config, { onError: () => {} });
    const res = await fetch(`${backend.addresses.otlpHttp}/v1/traces`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-protobuf' },
      body: Buffer.from(exportRequest()),
    });
    assert.equal(res.status, 200);
    ui = await startUi(['--tempo-url', backend.addresses.query]);
  });
  after(async () => {
    assert.equal(await ui?.stop(), 0);
    await backend?.stop();
    await rm(dir, { recursive: true, force: true });
  });

  test('search and trace by id come from the other backend, through the proxy', async () => {
    const search = await fetch(`${ui.url}/api/search?tags=${encodeURIComponent('service.name=order')}`);
    assert.equal(search.status, 200);
    const found = (await search.json()) as { traces: Array<{ traceID: string; rootServiceName: string }> };
    assert.deepEqual(
      found.traces.map((t) => [t.traceID, t.rootServiceName]),
      [[TRACE, 'order']],
    );
    const byId = await fetch(`${ui.url}/api/v2/traces/${TRACE}`);
    assert.equal(byId.status, 200);
    const body = (await byId.json()) as { trace: { resourceSpans: Array<{ scopeSpans: Array<{ spans: Array<{ name: string }> }> }> } };
    assert.equal(body.trace.resourceSpans[0]!.scopeSpans[0]!.spans[0]!.name, 'GET /api/order/:id');
    const missing = await fetch(`${ui.url}/api/v2/traces/${'1'.repeat(32)}`);
    assert.equal(missing.status, 404, 'upstream statuses pass through');
  });

  test('pages are the UI itself, not proxied', async () => {
    const page = await fetch(`${ui.url}/search`);
    assert.equal(page.status, 200);
    assert.match(page.headers.get('content-type') ?? '', /text\/html/);
    assert.match(await page.text(), /zeroscope/i);
    const post = await fetch(`${ui.url}/api/search`, { method: 'POST' });
    assert.equal(post.status, 405);
  });
});

describe('the proxy itself', () => {
  test('adds the configured headers, keeps the URL path prefix, drops browser cookies; 502 when Tempo is down', async (t) => {
    const seen: Array<{ url: string; headers: IncomingHttpHeaders }> = [];
    const tempo = createServer((req, res) => {
      seen.push({ url: req.url ?? '', headers: req.headers });
      res.writeHead(200, { 'content-type': 'application/json', 'set-cookie': 'session=upstream' });
      res.end('{"traces":[]}');
    });
    await new Promise<void>((resolve) => tempo.listen(0, '127.0.0.1', resolve));
    const port = (tempo.address() as AddressInfo).port;
    t.after(() => new Promise<void>((resolve) => tempo.close(() => resolve())));

    const ui = await startUi([
      '--tempo-url', `http://127.0.0.1:${port}/tempo/`,
      '--tempo-header', 'X-Scope-OrgID: team-a',
      '--tempo-header=Authorization: Bearer s3cret',
    ]);
    const res = await fetch(`${ui.url}/api/search?limit=5`, { headers: { cookie: 'ui=1', authorization: 'Basic browser' } });
    assert.equal(res.status, 200);
    assert.deepEqual(await res.json(), { traces: [] });
    assert.equal(res.headers.get('set-cookie'), null);
    assert.equal(seen.length, 1);
    assert.equal(seen[0]!.url, '/tempo/api/search?limit=5');
    assert.equal(seen[0]!.headers['x-scope-orgid'], 'team-a');
    assert.equal(seen[0]!.headers.authorization, 'Bearer s3cret');
    assert.equal(seen[0]!.headers.cookie, undefined);

    tempo.closeAllConnections();
    await new Promise<void>((resolve) => tempo.close(() => resolve()));
    const down = await fetch(`${ui.url}/api/search`);
    assert.equal(down.status, 502);
    assert.equal(((await down.json()) as { code: string }).code, 'CLI_ERR_TEMPO_UNREACHABLE');
    assert.equal(await ui.stop(), 0);
  });
});

test('uiConfig: flags, environment, and clear usage errors', () => {
  const env = { ZEROSCOPE_TEMPO_URL: 'https://tempo.example.com', ZEROSCOPE_TEMPO_HEADERS: 'X-Scope-OrgID=team-b,Authorization=Bearer%20t0ken' };
  assert.deepEqual(uiConfig([], { env }).options, {
    tempoUrl: 'https://tempo.example.com/',
    headers: { 'X-Scope-OrgID': 'team-b', Authorization: 'Bearer t0ken' },
    port: 3200,
    host: '127.0.0.1',
  });
  assert.equal(uiConfig(['--tempo-header', 'X-Scope-OrgID: team-c'], { env }).options.headers?.['X-Scope-OrgID'], 'team-c', 'flags win');
  const usage = (re: RegExp) => (err: unknown) => err instanceof CliUsageError && re.test(err.message);
  assert.throws(() => uiConfig([], { env: {} }), usage(/--tempo-url is required/));
  assert.throws(() => uiConfig(['--tempo-url', 'ftp://x'], { env: {} }), usage(/http\(s\)/));
  assert.throws(() => uiConfig(['--tempo-url', 'http://x', '--tempo-header', 'no colon'], { env: {} }), usage(/NAME: VALUE/));
  assert.throws(() => uiConfig(['--tempo-url', 'http://x', '--port', 'abc'], { env: {} }), usage(/--port/));
  assert.equal(uiConfig(['--help'], { env: {} }).help, true);
});

describe('zeroscope ui with its port taken', () => {
  test('names the address and --port, exit 1, no stack', async (t) => {
    const taken = createServer();
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
    t.after(() => taken.close());
    const port = (taken.address() as AddressInfo).port;
    const io = memoryIo();
    assert.equal(await main(['ui', '--tempo-url', 'http://127.0.0.1:1', '--host', '127.0.0.1', '--port', String(port)], io), 1);
    const message = io.stderr.join('\n');
    assert.match(message, new RegExp(`^zeroscope: cannot listen on 127\\.0\\.0\\.1:${port} \\(--host, --port\\): address already in use \\(EADDRINUSE\\)`));
    assert.doesNotMatch(message, /\n\s+at /);
  });
});
