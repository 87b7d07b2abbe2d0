import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { compileErrors, validate } from '@readme/openapi-parser';
import { z } from 'zod';
import { parseConfig } from '../../conf/index.ts';
import { RestConfSchema } from '../config.ts';
import { defineRoute } from '../route.ts';
import { RestServer } from '../server.ts';
import { startTestServer } from '../testing/test-server.ts';
import { openApiDocument } from './document.ts';
import { openApiPath } from './path-template.ts';

type Json = Record<string, any>;

const Item = z.object({ sku: z.string().min(1), qty: z.number().int().positive().default(1) }).meta({ id: 'OrderItem' });
const Order = z.object({ id: z.number().int(), items: z.array(Item), note: z.string().optional() }).meta({ id: 'Order' });

/** A server with hand-added routes of every kind the document must describe. */
function addShopRoutes(s: RestServer): void {
  s.addRoute({
    method: 'GET',
    path: '/orders/:id',
    request: { params: z.object({ id: z.coerce.number().int().positive().describe('the order number') }) },
    response: Order,
    openapi: { summary: 'one order', tags: ['orders'] },
    handler: ({ params }) => ({ id: params.id, items: [] }),
  });
  s.addRoute({
    method: 'GET',
    path: '/orders',
    request: {
      query: z.object({
        limit: z.coerce.number().int().min(1).max(50).default(10),
        status: z.enum(['open', 'paid']).optional(),
        q: z.string(),
      }),
    },
    response: z.array(Order),
    handler: ({ query }) => [{ id: query.limit, items: [] }],
  });
  s.addRoutes(
    [
      defineRoute({
        method: 'POST',
        path: '/orders',
        request: { body: z.object({ items: z.array(Item).min(1) }), headers: z.object({ 'x-request-id': z.string().optional(), 'content-type': z.string() }) },
        response: Order,
        openapi: { status: 201 },
        timeout: 500,
        handler: ({ body, res }) => {
          res.statusCode = 201;
          return { id: 1, items: body.items };
        },
      }),
      defineRoute({ method: ['PUT', 'PATCH'], path: '/users/:userId/orders/:orderId', handler: ({ params }) => params }),
      defineRoute({ method: 'DELETE', path: '/orders/:id', request: { params: z.object({ id: z.coerce.number().int() }) }, response: z.void(), handler: () => undefined }),
    ],
    { prefix: '/api' },
  );
  s.addRoute({ method: 'GET', path: '/ping', handler: () => 'pong' });
}

async function fetchDocument(url: string): Promise<Json> {
  const res = await fetch(`${url}/openapi.json`);
  assert.equal(res.status, 200);
  assert.match(res.headers.get('content-type') ?? '', /^application\/json/);
  return (await res.json()) as Json;
}

describe('OpenAPI document of a RestServer', () => {
  test('served on OpenApi.Path: every route with its parameters, body and responses, valid OpenAPI 3.1', async (t) => {
    const { url } = await startTestServer(t, { Name: 'shop-api', OpenApi: { Path: '/openapi.json', Version: '2.3.0' } }, addShopRoutes);
    const doc = await fetchDocument(url);

    // A maintained validator: the OpenAPI 3.1 schema plus the checks it adds (path parameters
    // declared and required, unique operationIds, resolvable $refs).
    const result = await validate(structuredClone(doc) as never);
    assert.ok(result.valid, result.valid ? '' : compileErrors(result));
    assert.deepEqual(result.warnings, []);

    assert.equal(doc.openapi, '3.1.0');
    assert.deepEqual(doc.info, { title: 'shop-api', version: '2.3.0' });
    // Every route, `:param` as `{param}`, group prefix applied, the document itself left out.
    assert.deepEqual(
      Object.entries(doc.paths).flatMap(([path, ops]) => Object.keys(ops as Json).map((m) => `${m.toUpperCase()} ${path}`)).sort(),
      ['DELETE /api/orders/{id}', 'GET /orders', 'GET /orders/{id}', 'GET /ping', 'PATCH /api/users/{userId}/orders/{orderId}', 'POST /api/orders', 'PUT /api/users/{userId}/orders/{orderId}'],
    );

    const getOrder = doc.paths['/orders/{id}'].get;
    assert.equal(getOrder.summary, 'one order');
    assert.deepEqual(getOrder.tags, ['orders']);
    assert.deepEqual(getOrder.parameters, [
      { name: 'id', in: 'path', required: true, description: 'the order number', schema: { type: 'integer', exclusiveMinimum: 0, maximum: Number.MAX_SAFE_INTEGER, description: 'the order number' } },
    ]);
    assert.deepEqual(getOrder.responses['200'].content['application/json'].schema, { $ref: '#/components/schemas/Order' });
    assert.deepEqual(Object.keys(getOrder.responses), ['200', '400', '500', '503', 'default']);

    // Query: a default or .optional() makes a parameter optional; the default is shown.
    const list = doc.paths['/orders'].get;
    assert.deepEqual(list.parameters.map((p: Json) => [p.name, p.in, p.required]), [['limit', 'query', false], ['status', 'query', false], ['q', 'query', true]]);
    assert.equal(list.parameters[0].schema.default, 10);
    assert.equal(list.parameters[0].schema.maximum, 50);
    assert.deepEqual(list.parameters[1].schema.enum, ['open', 'paid']);
    assert.equal(list.requestBody, undefined);
    assert.deepEqual(list.responses['200'].content['application/json'].schema, { type: 'array', items: { $ref: '#/components/schemas/Order' } });

    // Body: JSON, required; headers are parameters except the ones OpenAPI describes elsewhere.
    const create = doc.paths['/api/orders'].post;
    assert.deepEqual(create.parameters, [{ name: 'x-request-id', in: 'header', required: false, schema: { type: 'string' } }]);
    assert.equal(create.requestBody.required, true);
    assert.deepEqual(create.requestBody.content['application/json'].schema, {
      type: 'object',
      properties: { items: { type: 'array', minItems: 1, items: { $ref: '#/components/schemas/OrderItemInput' } } },
      required: ['items'],
    });
    assert.deepEqual(Object.keys(create.responses), ['201', '400', '413', '500', '503', 'default']);
    assert.deepEqual(create.responses['201'].content['application/json'].schema, { $ref: '#/components/schemas/Order' });
    assert.match(create.responses['503'].description, /500 ms/);
    assert.match(create.responses['400'].description, /REST_ERR_BAD_JSON/);

    // The named schema appears once per direction: a client may omit qty, a reply always has it.
    assert.deepEqual(doc.components.schemas.OrderItem.required, ['sku', 'qty']);
    assert.deepEqual(doc.components.schemas.OrderItemInput.required, ['sku']);
    assert.equal(doc.components.schemas.OrderItemInput.properties.qty.default, 1);

    // Path params without a params schema are still declared (strings).
    const put = doc.paths['/api/users/{userId}/orders/{orderId}'].put;
    assert.deepEqual(put.parameters, [
      { name: 'userId', in: 'path', required: true, schema: { type: 'string' } },
      { name: 'orderId', in: 'path', required: true, schema: { type: 'string' } },
    ]);
    assert.notEqual(put.operationId, doc.paths['/api/users/{userId}/orders/{orderId}'].patch.operationId);

    // z.void() → 204 without content; a route without any schema: JSON of any shape, no 400.
    assert.deepEqual(doc.paths['/api/orders/{id}'].delete.responses['204'], { description: 'done, no content' });
    const ping = doc.paths['/ping'].get;
    assert.equal(ping.parameters, undefined);
    assert.deepEqual(Object.keys(ping.responses), ['200', '500', '503', 'default']);
    assert.deepEqual(ping.responses['200'].content['application/json'].schema, {});

    // Errors are the rest package's body.
    assert.deepEqual(ping.responses.default.content['application/json'].schema, { $ref: '#/components/schemas/RestError' });
    assert.deepEqual(doc.components.schemas.RestError.required, ['code', 'message']);
    const notFound = await fetch(`${url}/orders/0`);
    assert.equal(notFound.status, 400);
    assert.deepEqual(Object.keys((await notFound.json()) as Json).sort(), ['code', 'message']);
  });

  test('the document agrees with the server: a request built from it is answered', async (t) => {
    const { url } = await startTestServer(t, { OpenApi: { Path: '/openapi.json' } }, addShopRoutes);
    const doc = await fetchDocument(url);
    // Only what the document marks required: qty is optional in OrderItemInput.
    assert.deepEqual(doc.components.schemas.OrderItemInput.required, ['sku']);
    const body = { items: [{ sku: 'a-1' }] };
    const res = await fetch(`${url}/api/orders`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    assert.ok(doc.paths['/api/orders'].post.responses[String(res.status)], `status ${res.status} is documented`);
    assert.deepEqual(await res.json(), { id: 1, items: [{ sku: 'a-1', qty: 1 }] });
    const required = (doc.paths['/orders'].get.parameters as Json[]).filter((p) => p.required).map((p) => p.name);
    assert.deepEqual(required, ['q']);
    const list = await fetch(`${url}/orders?q=x`);
    assert.equal(list.status, 200);
    assert.equal(((await list.json()) as Json[])[0]!.id, 10);
  });

  test('routes added after start() are in the document', async (t) => {
    const { server, url } = await startTestServer(t, { OpenApi: { Path: '/docs/openapi.json' } }, (s) => s.addRoute({ method: 'GET', path: '/a', handler: () => 1 }));
    const before = (await (await fetch(`${url}/docs/openapi.json`)).json()) as Json;
    assert.deepEqual(Object.keys(before.paths), ['/a']);
    server.addRoute({ method: 'GET', path: '/b', handler: () => 2 });
    const after = (await (await fetch(`${url}/docs/openapi.json`)).json()) as Json;
    assert.deepEqual(Object.keys(after.paths), ['/a', '/b']);
    assert.deepEqual(server.openApi(), after);
  });

  test('off by default: the path is a 404', async (t) => {
    const { url } = await startTestServer(t, {}, addShopRoutes);
    const res = await fetch(`${url}/openapi.json`);
    assert.equal(res.status, 404);
    assert.equal(((await res.json()) as Json).code, 'REST_ERR_NOT_FOUND');
  });

  test('a bad OpenApi block names the key', () => {
    const load = (yaml: string) => () => parseConfig(`Name: a\nPort: 0\n${yaml}`, 'etc/a.yaml', RestConfSchema);
    assert.throws(load('OpenApi:\n  Path: openapi.json\n'), /etc\/a\.yaml: OpenApi\.Path: expected a path starting with \/.*got "openapi\.json"/);
    assert.throws(load('OpenApi:\n  Path: /docs/:id\n'), /OpenApi\.Path: expected a path starting with \//);
    assert.throws(load('OpenApi:\n  Paht: /openapi.json\n'), (err: Error) => /OpenApi\.Paht: unknown key/.test(err.message) && /OpenApi\.Path: required/.test(err.message));
    assert.throws(load('OpenApi:\n  Path: /openapi.json\n  Version: 2\n'), /OpenApi\.Version: expected a string, got 2/);
    assert.equal(parseConfig('Name: a\nPort: 0\n', 'etc/a.yaml', RestConfSchema).OpenApi, undefined);
  });

  test('a Path that is already a route fails start() with the reason', async () => {
    const server = new RestServer({ Name: 'a', Host: '127.0.0.1', Port: 0, OpenApi: { Path: '/ping' } });
    server.addRoute({ method: 'GET', path: '/ping', handler: () => 'pong' });
    await assert.rejects(server.start(), /OpenApi\.Path \/ping is already a route/);
    await server.stop();
  });
});

describe('openApiPath', () => {
  test('find-my-way templates as OpenAPI ones', () => {
    assert.deepEqual(openApiPath('/order/:id'), { path: '/order/{id}', params: [{ name: 'id', pattern: undefined }] });
    assert.deepEqual(openApiPath('/near/:lat-:lng'), { path: '/near/{lat}-{lng}', params: [{ name: 'lat', pattern: undefined }, { name: 'lng', pattern: undefined }] });
    assert.deepEqual(openApiPath('/n/:id(^\\d+(?:x)?$).png'), { path: '/n/{id}.png', params: [{ name: 'id', pattern: '^\\d+(?:x)?$' }] });
    assert.deepEqual(openApiPath('/files/*'), { path: '/files/{*}', params: [{ name: '*', pattern: undefined }] });
    assert.deepEqual(openApiPath('/a::b'), { path: '/a:b', params: [] });
  });
});

describe('openApiDocument', () => {
  test('recursive schemas, a user schema named like the error body, regex and wildcard paths, free-form query', async () => {
    interface Category { name: string; children: Category[] }
    const Category: z.ZodType<Category> = z.object({ name: z.string(), get children() { return z.array(Category); } });
    const UserError = z.object({ reason: z.string() }).meta({ id: 'RestError' });
    const doc = openApiDocument(
      [
        { method: 'GET', path: '/categories/:id(^\\d+$)', response: Category },
        { method: 'POST', path: '/categories', request: { body: Category.optional() }, response: UserError },
        { method: 'GET', path: '/files/*', request: { query: z.record(z.string(), z.string()) } },
      ],
      { title: 'catalog', description: 'the catalog', limits: { timeout: 0, maxConns: 0, maxBytes: 0 } },
    );
    const result = await validate(structuredClone(doc) as never);
    assert.ok(result.valid, result.valid ? '' : compileErrors(result));
    assert.deepEqual(doc.info, { title: 'catalog', version: '1.0.0', description: 'the catalog' });

    const get = doc.paths['/categories/{id}']!.get as Json;
    assert.deepEqual(get.parameters, [{ name: 'id', in: 'path', required: true, schema: { type: 'string', pattern: '^\\d+$' } }]);
    // The recursive schema is a component referring to itself, not an endless inline copy.
    const ref = get.responses['200'].content['application/json'].schema.$ref as string;
    const name = ref.replace('#/components/schemas/', '');
    assert.deepEqual(doc.components.schemas[name]!.properties, { name: { type: 'string' }, children: { type: 'array', items: { $ref: ref } } });
    // No limits: no 503, no 413.
    assert.deepEqual(Object.keys(get.responses), ['200', '500', 'default']);

    const post = doc.paths['/categories']!.post as Json;
    assert.equal(post.requestBody.required, false);
    // The user's `RestError` does not replace the error body the server really sends.
    assert.deepEqual(doc.components.schemas.RestError!.required, ['code', 'message']);
    const userRef = post.responses['200'].content['application/json'].schema.$ref as string;
    assert.notEqual(userRef, '#/components/schemas/RestError');
    assert.deepEqual(doc.components.schemas[userRef.replace('#/components/schemas/', '')]!.required, ['reason']);

    const files = doc.paths['/files/{*}']!.get as Json;
    assert.deepEqual(files.parameters.map((p: Json) => [p.name, p.in, p.style, p.explode]), [['*', 'path', undefined, undefined], ['query', 'query', 'form', true]]);
    assert.equal(files.operationId, 'getFilesByWildcard');
  });
});
