import assert from 'node:assert/strict';
import { request } from 'node:http';
import { describe, test } from 'node:test';
import { z } from 'zod';
import { defineRoute } from './route.ts';
import { HttpError, REST_ERROR_CODES } from './errors.ts';
import { RestServer } from './server.ts';
import { startTestServer } from './testing/test-server.ts';

describe('RestServer routing', () => {
  test('routes by method and path template, with params and a group prefix', async (t) => {
    const { url } = await startTestServer(t, {}, (s) => {
      s.addRoute({ method: 'GET', path: '/order/:id', handler: ({ params }) => ({ got: params.id }) });
      s.addRoute({ method: ['PUT', 'PATCH'], path: '/order/:id', handler: ({ req }) => ({ method: req.method }) });
      s.addRoutes([defineRoute({ method: 'GET', path: '/ping', handler: () => 'pong' })], { prefix: '/api' });
    });
    const res = await fetch(`${url}/order/42`);
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type') ?? '', /^application\/json/);
    assert.deepEqual(await res.json(), { got: '42' });
    assert.deepEqual(await (await fetch(`${url}/order/1`, { method: 'PATCH' })).json(), { method: 'PATCH' });
    assert.equal(await (await fetch(`${url}/api/ping`)).json(), 'pong');
  });

  test('undefined result is 204; a status set by the handler is kept', async (t) => {
    const { url } = await startTestServer(t, {}, (s) => {
      s.addRoute({ method: 'DELETE', path: '/x', handler: () => undefined });
      s.addRoute({
        method: 'POST',
        path: '/x',
        handler: ({ res }) => {
          res.statusCode = 201;
          return { created: true };
        },
      });
    });
    const deleted = await fetch(`${url}/x`, { method: 'DELETE' });
    assert.equal(deleted.status, 204);
    assert.equal(await deleted.text(), '');
    const created = await fetch(`${url}/x`, { method: 'POST' });
    assert.equal(created.status, 201);
    assert.deepEqual(await created.json(), { created: true });
  });

  test('unknown route is 404, wrong method is 405 with Allow', async (t) => {
    const { url } = await startTestServer(t, {}, (s) => {
      s.addRoute({ method: 'POST', path: '/only-post', handler: () => ({}) });
    });
    const missing = await fetch(`${url}/nope?x=1`);
    assert.equal(missing.status, 404);
    assert.deepEqual(await missing.json(), { code: REST_ERROR_CODES.NOT_FOUND, message: 'no route for GET /nope' });
    const wrong = await fetch(`${url}/only-post`);
    assert.equal(wrong.status, 405);
    assert.equal(wrong.headers.get('allow'), 'POST');
    assert.equal((await wrong.json()).code, REST_ERROR_CODES.METHOD_NOT_ALLOWED);
  });

  test('HttpError keeps its status and code; other errors are 500 and the server keeps serving', async (t) => {
    const { url, errors } = await startTestServer(t, {}, (s) => {
      s.addRoute({
        method: 'GET',
        path: '/teapot',
        handler: () => {
          throw new HttpError(418, 'short and stout', { code: 'TEAPOT' });
        },
      });
      s.addRoute({
        method: 'GET',
        path: '/boom',
        handler: async () => {
          throw new Error('secret detail');
        },
      });
      s.addRoute({ method: 'GET', path: '/ok', handler: () => ({ ok: true }) });
    });
    const teapot = await fetch(`${url}/teapot`);
    assert.equal(teapot.status, 418);
    assert.deepEqual(await teapot.json(), { code: 'TEAPOT', message: 'short and stout' });
    for (let i = 0; i < 2; i++) {
      const boom = await fetch(`${url}/boom`);
      assert.equal(boom.status, 500);
      // The client gets a generic message, never the error's own.
      assert.deepEqual(await boom.json(), { code: REST_ERROR_CODES.INTERNAL, message: 'internal server error' });
    }
    assert.equal(errors.length, 2);
    assert.equal((errors[0] as Error).message, 'secret detail');
    assert.deepEqual(await (await fetch(`${url}/ok`)).json(), { ok: true });
  });

  test('with Recover off an unexpected error drops the connection and the server survives', async (t) => {
    const { url, errors } = await startTestServer(t, { Middlewares: { Recover: false } }, (s) => {
      s.addRoute({
        method: 'GET',
        path: '/boom',
        handler: () => {
          throw new Error('boom');
        },
      });
      s.addRoute({ method: 'GET', path: '/ok', handler: () => 'ok' });
    });
    await assert.rejects(fetch(`${url}/boom`));
    assert.deepEqual(errors.map((e) => (e as Error).message), ['boom'], 'reported once');
    assert.equal(await (await fetch(`${url}/ok`)).json(), 'ok');
  });

  test('an HttpError whose headers cannot be sent becomes a 500 without them, is reported, and the server keeps serving', async (t) => {
    // Every chain shape: all built-ins (one group of stages outermost), and none of the staged ones (the plain responder).
    for (const conf of [{}, { Middlewares: { Trace: false, Log: false, Metrics: false, MaxConns: false, Shedding: false, Timeout: false, Recover: false } }]) {
      const { url, errors } = await startTestServer(t, conf, (s) => {
        s.addRoute({
          method: 'GET',
          path: '/redirect',
          handler: () => {
            // A header value echoed from input, with a line break in it.
            throw new HttpError(400, 'bad', { headers: { 'x-ok': 'yes', location: '/a\r\nset-cookie: x=1' } });
          },
        });
        s.addRoute({ method: 'GET', path: '/ok', handler: () => 'ok' });
      });
      const res = await fetch(`${url}/redirect`);
      assert.equal(res.status, 500, JSON.stringify(conf));
      assert.equal(res.headers.get('x-ok'), null);
      assert.equal(res.headers.get('set-cookie'), null);
      assert.equal(((await res.json()) as { code: string }).code, REST_ERROR_CODES.INTERNAL);
      assert.equal(errors.length, 1);
      assert.match((errors[0] as Error).message, /the 400 answer could not be sent: Invalid character in header content \["location"\]/);
      assert.equal(await (await fetch(`${url}/ok`)).json(), 'ok');
    }
  });

  test('user middleware run inside the built-ins, in the order added, also when added after start', async (t) => {
    const seen: string[] = [];
    const { url, server } = await startTestServer(t, {}, (s) => {
      s.use((next) => async function first(ctx) {
        seen.push('first');
        await next(ctx);
      });
      s.addRoute({ method: 'GET', path: '/m', handler: () => seen.push('handler') });
    });
    server.use((next, route) => async function second(ctx) {
      seen.push(`second ${route.path}`);
      await next(ctx);
    });
    assert.equal((await fetch(`${url}/m`)).status, 200);
    assert.deepEqual(seen, ['first', 'second /m', 'handler']);
  });
});

describe('RestServer request validation', () => {
  const route = defineRoute({
    method: 'POST',
    path: '/items/:id',
    request: {
      params: z.object({ id: z.coerce.number().int() }),
      query: z.object({ limit: z.coerce.number().max(50).default(10) }),
      headers: z.object({ 'x-tenant': z.string().min(1) }),
      body: z.object({ items: z.array(z.object({ qty: z.number().int() })) }),
    },
    handler: ({ params, query, headers, body }) => ({
      // Typed from the schemas: numbers, not strings.
      next: params.id + 1,
      limit: query.limit * 2,
      tenant: headers['x-tenant'],
      total: body.items.reduce((sum, item) => sum + item.qty, 0),
    }),
  });
  const good = { path: '/items/7', headers: { 'x-tenant': 'acme' }, body: '{"items":[{"qty":2},{"qty":3}]}' };
  const cases = [
    { part: 'params', path: '/items/seven', message: /^params\.id: .*expected number/ },
    { part: 'query', path: '/items/7?limit=500', message: /^query\.limit: .*50/ },
    { part: 'headers', headers: {}, message: /^headers\.x-tenant: .*expected string, received undefined/ },
    { part: 'body', body: '{"items":[{"qty":"2"}]}', message: /^body\.items\[0\]\.qty: .*expected number, received string/ },
    { part: 'missing body', body: '', message: /^body: .*expected object, received undefined/ },
  ];

  test('valid requests reach the handler with parsed, typed values', async (t) => {
    const { url } = await startTestServer(t, {}, (s) => s.addRoutes([route]));
    const res = await fetch(url + good.path, { method: 'POST', headers: good.headers, body: good.body });
    assert.deepEqual(await res.json(), { next: 8, limit: 20, tenant: 'acme', total: 5 });
  });

  test('each invalid part is a 400 naming the field and what was expected', async (t) => {
    const { url } = await startTestServer(t, {}, (s) => s.addRoutes([route]));
    for (const c of cases) {
      const res = await fetch(url + (c.path ?? good.path), {
        method: 'POST',
        headers: c.headers ?? good.headers,
        body: c.body ?? good.body,
      });
      assert.equal(res.status, 400, c.part);
      const body = (await res.json()) as { code: string; message: string };
      assert.equal(body.code, REST_ERROR_CODES.VALIDATION, c.part);
      assert.match(body.message, c.message, c.part);
    }
  });

  test('malformed JSON is a 400 of its own', async (t) => {
    const { url } = await startTestServer(t, {}, (s) => s.addRoutes([route]));
    const res = await fetch(url + good.path, { method: 'POST', headers: good.headers, body: '{"items": [' });
    assert.equal(res.status, 400);
    const body = (await res.json()) as { code: string; message: string };
    assert.equal(body.code, REST_ERROR_CODES.BAD_JSON);
    assert.match(body.message, /^body is not valid JSON/);
  });
});

describe('RestServer handler types', () => {
  // Checked by `tsc` (tests are type-checked too); at run time it only builds route objects.
  test('the handler context is typed from the route schemas', () => {
    defineRoute({
      method: 'GET',
      path: '/t/:id',
      request: { params: z.object({ id: z.coerce.number() }), headers: z.object({ 'x-a': z.string().optional() }) },
      handler: ({ params, headers, query }) => {
        const id: number = params.id;
        const a: string | undefined = headers['x-a'];
        const q: string | string[] | undefined = query.anything;
        return [id, a, q];
      },
    });
    defineRoute({
      method: 'GET',
      path: '/t',
      // @ts-expect-error without a body schema the body is undefined
      handler: ({ body }) => body.field,
    });
  });
});

describe('RestServer lifecycle', () => {
  test('start binds an ephemeral port; stop is idempotent and safe before start', async () => {
    const server = new RestServer({ Name: 'life', Host: '127.0.0.1', Port: 0 });
    assert.equal(server.port, 0);
    await server.stop();
    await server.start();
    assert.ok(server.port > 0);
    assert.equal(server.address()?.address, '127.0.0.1');
    await assert.rejects(server.start(), /already started/);
    await Promise.all([server.stop(), server.stop()]);
    assert.equal(server.address(), null);
  });

  test('stop lets an in-flight request finish, then refuses new connections', async () => {
    let entered!: () => void;
    const inHandler = new Promise<void>((resolve) => (entered = resolve));
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const server = new RestServer({ Name: 'graceful', Host: '127.0.0.1', Port: 0 });
    server.addRoute({
      method: 'GET',
      path: '/slow',
      handler: async () => {
        entered();
        await gate;
        return { finished: true };
      },
    });
    await server.start();
    const url = `http://127.0.0.1:${server.port}`;
    const inFlight = fetch(`${url}/slow`);
    await inHandler;
    const stopped = server.stop();
    release();
    const res = await inFlight;
    assert.equal(res.status, 200);
    assert.deepEqual(await res.json(), { finished: true });
    await stopped;
    await assert.rejects(
      new Promise((resolve, reject) => request(`${url}/slow`).on('response', resolve).on('error', reject).end()),
      /ECONNREFUSED/,
    );
  });
});
