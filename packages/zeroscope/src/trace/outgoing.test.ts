// Outgoing calls from a handler, traced by the official instrumentations the agent installs
// (Telemetry.Instrument), and a database client added the documented way (instrument() in a file
// loaded first), against a real PostgreSQL. Each scenario runs a RestServer in a child process,
// since the agent starts once per process, and reads the spans back from a real OTLP receiver.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { after, before, describe, it } from 'node:test';
import { startPostgres, type PostgresServer } from './testing/postgres.ts';
import { startOtlpHttpReceiver, type ReceivedSpan, type TestReceiver } from './testing/receivers.ts';

const CHILD = fileURLToPath(new URL('./testdata/outgoing-child.ts', import.meta.url));
const PRELOAD_PG = fileURLToPath(new URL('./testdata/instrument-pg.ts', import.meta.url));
const SERVER = 2;
const CLIENT = 3;

/** A downstream HTTP server that answers `ok` and keeps the headers of each request by path. */
async function downstream(): Promise<{ url: string; seen: Map<string, IncomingHttpHeaders> }> {
  const seen = new Map<string, IncomingHttpHeaders>();
  const server = createServer((req, res) => {
    seen.set(req.url ?? '', req.headers);
    res.end('ok');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  after(() => new Promise<void>((resolve) => server.close(() => resolve())));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, seen };
}

async function receiver(): Promise<TestReceiver> {
  const r = await startOtlpHttpReceiver();
  after(() => r.close());
  return r;
}

async function runService(args: Record<string, unknown>, preload: string[] = [], env: Record<string, string> = {}): Promise<Record<string, unknown>> {
  const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', ...preload.flatMap((p) => ['--import', p]), CHILD, JSON.stringify(args)], {
    timeout: 60_000,
    env: { ...process.env, ...env },
  });
  // The service's own log lines share stdout; the child's report is the line marked RESULT.
  const line = stdout.split('\n').find((l) => l.startsWith('RESULT '));
  assert.ok(line, `the child reported:\n${stdout}`);
  return JSON.parse(line.slice('RESULT '.length)) as Record<string, unknown>;
}

/** The `traceparent` a request carried, split; undefined when it had none. */
function traceparent(headers: IncomingHttpHeaders | undefined): { traceId: string; parentId: string } | undefined {
  const value = headers?.traceparent;
  if (typeof value !== 'string') return undefined;
  const [, traceId = '', parentId = ''] = value.split('-');
  return { traceId, parentId };
}

const serverSpans = (spans: ReceivedSpan[]) => spans.filter((s) => s.kind === SERVER);

describe('outgoing calls inside a handler (Telemetry.Instrument)', () => {
  it('by default fetch() and node:http get CLIENT spans under the SERVER span and carry traceparent; the server span is not doubled', async () => {
    const [r, down] = await Promise.all([receiver(), downstream()]);
    const answers = await runService({ telemetry: { Endpoint: r.endpoint }, downstream: down.url });
    assert.deepEqual(answers.call, { fetch: 'ok', http: 'ok' });

    const spans = r.spans();
    const servers = serverSpans(spans);
    assert.equal(servers.length, 1, `one SERVER span, got ${servers.map((s) => s.name).join(', ')}`);
    const server = servers[0]!;
    const clients = spans.filter((s) => s.kind === CLIENT);
    assert.equal(clients.length, 2, `two CLIENT spans, got ${spans.map((s) => `${s.name}(${s.kind})`).join(', ')}`);
    for (const client of clients) {
      assert.equal(client.traceId, server.traceId);
      assert.equal(client.parentSpanId, server.spanId);
    }
    // The test client's own fetch (outside any handler) made no span: the three are all there is.
    assert.equal(spans.length, 3);

    for (const path of ['/via-fetch', '/via-http']) {
      const carried = traceparent(down.seen.get(path));
      assert.ok(carried, `${path} carried a traceparent`);
      assert.equal(carried.traceId, server.traceId, path);
      assert.ok(clients.some((c) => c.spanId === carried.parentId), `${path}: its parent is one of the CLIENT spans`);
    }
    assert.notEqual(traceparent(down.seen.get('/via-fetch'))?.parentId, traceparent(down.seen.get('/via-http'))?.parentId);
  });

  it('Instrument: { Http: false, Fetch: false } leaves outgoing calls untraced and without traceparent', async () => {
    const [r, down] = await Promise.all([receiver(), downstream()]);
    const answers = await runService({ telemetry: { Endpoint: r.endpoint, Instrument: { Http: false, Fetch: false } }, downstream: down.url });
    assert.deepEqual(answers.call, { fetch: 'ok', http: 'ok' });
    assert.deepEqual(r.spans().map((s) => s.kind), [SERVER]);
    assert.equal(down.seen.get('/via-fetch')?.traceparent, undefined);
    assert.equal(down.seen.get('/via-http')?.traceparent, undefined);
  });

  it('each switch is separate: Fetch: false keeps node:http traced', async () => {
    const [r, down] = await Promise.all([receiver(), downstream()]);
    await runService({ telemetry: { Endpoint: r.endpoint, Instrument: { Fetch: false } }, downstream: down.url });
    assert.equal(r.spans().filter((s) => s.kind === CLIENT).length, 1);
    assert.equal(down.seen.get('/via-fetch')?.traceparent, undefined);
    assert.ok(traceparent(down.seen.get('/via-http')));
  });
});

describe('OTEL_PROPAGATORS through a whole service', () => {
  it('b3multi: the SERVER span continues the caller\'s B3 trace and outgoing calls carry X-B3 headers, not traceparent', async () => {
    const [r, down] = await Promise.all([receiver(), downstream()]);
    const traceId = '80f198ee56343ba864fe8b2a57d3eff7';
    const incoming = { 'x-b3-traceid': traceId, 'x-b3-spanid': 'e457b5a2e4d86bd1', 'x-b3-sampled': '1' };
    await runService({ telemetry: { Endpoint: r.endpoint }, downstream: down.url, incoming }, [], { OTEL_PROPAGATORS: 'b3multi' });
    const server = serverSpans(r.spans())[0];
    assert.equal(server?.traceId, traceId);
    assert.equal(server?.parentSpanId, 'e457b5a2e4d86bd1');
    for (const path of ['/via-fetch', '/via-http']) {
      const headers = down.seen.get(path);
      assert.equal(headers?.['x-b3-traceid'], traceId, path);
      assert.equal(headers?.traceparent, undefined, path);
    }
  });
});

describe('a database client added with instrument() (PostgreSQL, @opentelemetry/instrumentation-pg)', () => {
  let postgres: PostgresServer;
  before(async () => {
    postgres = await startPostgres();
  });
  after(() => postgres?.close());

  it('a query from a handler is a CLIENT span nested under the SERVER span', async () => {
    const [r, down] = await Promise.all([receiver(), downstream()]);
    const { host, port, user, database } = postgres;
    const answers = await runService({ telemetry: { Endpoint: r.endpoint }, downstream: down.url, postgres: { host, port, user, database } }, [PRELOAD_PG]);
    assert.deepEqual(answers.db, { answer: 42 });

    const spans = r.spans();
    const server = serverSpans(spans).find((s) => s.attributes?.['http.route'] === '/db');
    assert.ok(server, `a SERVER span for /db among ${spans.map((s) => s.name).join(', ')}`);
    const queries = spans.filter((s) => s.name.startsWith('pg.query'));
    assert.equal(queries.length, 1, `one pg.query span, got ${spans.map((s) => s.name).join(', ')}`);
    const query = queries[0]!;
    assert.equal(query.kind, CLIENT);
    assert.equal(query.traceId, server.traceId);
    assert.equal(query.parentSpanId, server.spanId);
    assert.equal(query.attributes?.['db.system'] ?? query.attributes?.['db.system.name'], 'postgresql');
  });
});
