// The built-in middleware and the endpoint are plain functions that pass promises through (no
// async/await of their own) and answer synchronous handlers without a promise. These tests pin
// that a synchronous handler or middleware is answered, logged and traced exactly like its async
// twin, which takes the promise path the chain always took.
import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import { SpanKind } from '@opentelemetry/api';
import { LogSchema, setUpLogging } from '../log/index.ts';
import { captureLines } from '../log/testing/index.ts';
import { installTestTracer } from '../trace/testing/index.ts';
import type { RequestContext } from './context.ts';
import { HttpError } from './errors.ts';
import type { Context } from './route.ts';
import { startTestServer } from './testing/test-server.ts';

// node --test runs each file in its own process, so this file owns the process logger and tracer.
const sink = captureLines();
setUpLogging(LogSchema.parse({}), { serviceName: 'plain', destination: sink.stream });
const tracing = installTestTracer('plain');
after(() => tracing.shutdown());

type Behaviour = (ctx: Context) => unknown;

const thenable = (settle: (resolve: (v: unknown) => void, reject: (e: unknown) => void) => void) => ({
  then(resolve: (v: unknown) => void, reject: (e: unknown) => void) {
    settle(resolve, reject);
  },
});

const CASES: Record<string, Behaviour> = {
  value: () => ({ ok: true, n: 1 }),
  nothing: () => undefined,
  status: ({ res }) => {
    res.statusCode = 201;
    return 'created';
  },
  httpError: () => {
    throw new HttpError(418, 'short and stout', { code: 'TEAPOT', headers: { 'x-pot': 'tea' } });
  },
  caused4xx: () => {
    throw new HttpError(404, 'downstream said no', { cause: new Error('NOT_FOUND') });
  },
  error: () => {
    throw new Error('secret detail');
  },
  ownResponse: ({ res }) => {
    res.writeHead(202, { 'content-type': 'text/plain' });
    res.end('written by hand');
    return { ignored: true };
  },
  thenableValue: () => thenable((resolve) => resolve({ via: 'thenable' })),
  thenableFailure: () => thenable((_resolve, reject) => reject(new HttpError(409, 'conflict'))),
  params: ({ params, query }) => ({ params, query }),
};

interface Seen {
  status: number;
  body: string;
  type: string | null;
  pot: string | null;
  log: { status: unknown; level: unknown } | undefined;
  span: { code: number; events: string[]; status: unknown };
}

async function observe(url: string, path: string): Promise<Seen> {
  sink.reset();
  tracing.reset();
  const res = await fetch(url + path);
  const body = await res.text();
  // The server span ends on 'close', which may trail the client's read by a tick.
  let spans = tracing.spans().filter((s) => s.kind === SpanKind.SERVER);
  for (let i = 0; i < 200 && spans.length === 0; i++) {
    await new Promise((resolve) => setTimeout(resolve, 5));
    spans = tracing.spans().filter((s) => s.kind === SpanKind.SERVER);
  }
  const [span] = spans;
  assert.ok(span, `no server span for ${path}`);
  const line = sink.lines().find((l) => l.kind === 'http');
  return {
    status: res.status,
    body,
    type: res.headers.get('content-type'),
    pot: res.headers.get('x-pot'),
    log: line && { status: line.status, level: line.level },
    span: {
      code: span.status.code,
      events: span.events.map((e) => e.name),
      status: span.attributes['http.response.status_code'],
    },
  };
}

describe('plain chain: synchronous and async handlers answer alike', () => {
  test('every outcome is the same response, access line and span for a sync handler and its async twin', async (t) => {
    const { url, errors } = await startTestServer(t, {}, (s) => {
      for (const [name, behave] of Object.entries(CASES)) {
        s.addRoute({ method: 'GET', path: `/sync/${name}/:id`, handler: (ctx) => behave(ctx as Context) });
        s.addRoute({ method: 'GET', path: `/async/${name}/:id`, handler: async (ctx) => behave(ctx as Context) });
      }
    });
    for (const name of Object.keys(CASES)) {
      const sync = await observe(url, `/sync/${name}/7?q=1`);
      const viaPromise = await observe(url, `/async/${name}/7?q=1`);
      assert.deepEqual(sync, viaPromise, name);
    }
    // Spot checks that the shared answers are the right ones, not just equal.
    assert.equal((await observe(url, '/sync/value/1')).body, '{"ok":true,"n":1}');
    assert.deepEqual((await observe(url, '/sync/error/1')).span.events, ['exception']);
    assert.equal((await observe(url, '/sync/httpError/1')).pot, 'tea');
    assert.equal((await observe(url, '/sync/ownResponse/1')).body, 'written by hand');
    assert.equal(errors.length, 3); // 'error' through both paths, plus its spot check
  });

  test('a plain user middleware that throws synchronously becomes a 500 like an async one', async (t) => {
    const { url, errors } = await startTestServer(t, {}, (s) => {
      s.use((next) => (ctx: RequestContext) => {
        if (ctx.path === '/sync-throw') throw new Error('middleware broke');
        if (ctx.path === '/async-throw') return Promise.reject(new Error('middleware broke'));
        return next(ctx);
      });
      s.addRoute({ method: 'GET', path: '/sync-throw', handler: () => 'unreachable' });
      s.addRoute({ method: 'GET', path: '/async-throw', handler: () => 'unreachable' });
      s.addRoute({ method: 'GET', path: '/fine', handler: () => 'fine' });
    });
    const sync = await observe(url, '/sync-throw');
    const viaPromise = await observe(url, '/async-throw');
    assert.equal(sync.status, 500);
    assert.deepEqual(sync, viaPromise);
    assert.deepEqual(sync.log, { status: 500, level: 'error' });
    assert.equal(errors.length, 2);
    assert.equal((await observe(url, '/fine')).body, '"fine"');
  });
});
