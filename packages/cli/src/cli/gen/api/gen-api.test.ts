import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL, fileURLToPath } from 'node:url';
import { after, describe, test } from 'node:test';
import { compileErrors, validate } from '@readme/openapi-parser';
import { main } from '../../main.ts';
import { tempRoot, typecheck } from '../../new/testing/temp-project.ts';
import { memoryIo } from '../../testing/index.ts';
import { genApi } from './gen-api.ts';
import { parseApi } from './parser.ts';

const SHOP_API = fileURLToPath(new URL('./testdata/shop.api', import.meta.url));
const root = tempRoot('zeroscope-gen-api-');
after(() => root.remove());

const TSCONFIG = {
  compilerOptions: {
    target: 'ES2022', module: 'NodeNext', moduleResolution: 'NodeNext', lib: ['ES2022'], strict: true,
    skipLibCheck: true, noEmit: true, allowImportingTsExtensions: true, types: ['node'],
  },
  include: ['**/*.ts'],
  exclude: ['node_modules'],
};

interface Served {
  base: string;
  stop(): Promise<void>;
}

/** Starts the generated routes in this process (the test runs TypeScript already). */
async function serve(dir: string): Promise<Served> {
  const rest = (await import('zeroscope/rest')) as typeof import('zeroscope/rest');
  const routes = (await import(pathToFileURL(join(dir, 'internal/handler/routes.ts')).href)) as {
    registerHandlers(server: InstanceType<typeof rest.RestServer>, svc: unknown): void;
  };
  const server = new rest.RestServer({ Name: 'shop', Host: '127.0.0.1', Port: 0, Telemetry: { Disabled: true } });
  routes.registerHandlers(server, { config: {}, close: async () => {} });
  await server.start();
  return { base: `http://127.0.0.1:${server.port}`, stop: () => server.stop() };
}

describe('zeroscope gen api', () => {
  test('a realistic .api (types, import, groups, prefixes, middleware, timeout, path params) compiles strict and serves its routes', async (t) => {
    const dir = join(root.dir, 'shop');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'package.json'), '{ "type": "module" }\n');
    writeFileSync(join(dir, 'tsconfig.json'), JSON.stringify(TSCONFIG));
    root.linkPackages(dir);
    genApi({ apiFile: SHOP_API, dir, name: 'shop' });
    // A user's middleware: refuse orders without an Authorization header. It survives regeneration.
    const auth = join(dir, 'internal/middleware/auth.ts');
    writeFileSync(
      auth,
      readFileSync(auth, 'utf8')
        .replace("import type { RouteMiddleware }", "import { HttpError } from 'zeroscope/rest';\nimport type { RouteMiddleware }")
        .replace('return next();', "if (ctx.req.headers.authorization === undefined) throw new HttpError(401, 'no token');\n    return next();"),
    );
    const again = genApi({ apiFile: SHOP_API, dir, name: 'shop' });
    assert.ok(again.outcomes.every((o) => o.action === 'unchanged' || o.action === 'keep'), JSON.stringify(again.outcomes));

    const checked = await typecheck(dir);
    assert.equal(checked.code, 0, checked.output);

    const served = await serve(dir);
    t.after(() => served.stop());
    const get = (path: string, init?: RequestInit) => fetch(`${served.base}${path}`, init);
    const json = { 'content-type': 'application/json' };

    let res = await get('/api/v1/products/7');
    assert.equal(res.status, 200);
    assert.deepEqual(await res.json(), { id: 0, name: '', price: 0 });
    assert.equal((await get('/api/v1/products/seven')).status, 400); // path:"id" is an int64
    assert.equal((await get('/api/v1/products?page=2&pageSize=50&sort=price&tag=a&tag=b')).status, 200);
    assert.equal((await get('/api/v1/products?pageSize=30')).status, 400); // options=10|20|50
    assert.equal((await get('/api/v1/products?page=0')).status, 400); // range=[1:1000]
    assert.equal((await get('/products')).status, 404); // the group's prefix is part of the path

    const order = { productId: 1, quantity: 2 };
    const post = (headers: Record<string, string>, body: unknown) => get('/api/v1/orders', { method: 'POST', headers: { ...json, ...headers }, body: JSON.stringify(body) });
    assert.equal((await post({ 'x-token': 't' }, order)).status, 401); // the edited Auth middleware
    assert.equal((await post({ authorization: 'Bearer x' }, order)).status, 400); // header:"X-Token" is required
    assert.equal((await post({ authorization: 'Bearer x', 'x-token': 't' }, { ...order, quantity: 0 })).status, 400); // range=(0:100]
    res = await post({ authorization: 'Bearer x', 'x-token': 't' }, order);
    assert.equal(res.status, 200);
    assert.equal(((await res.json()) as { status: string }).status, 'pending');

    const put = await get('/api/v1/users/u1/orders/o1', { method: 'PUT', headers: { ...json, authorization: 'x' }, body: JSON.stringify({ status: 'paid' }) });
    assert.equal(put.status, 200);
    assert.equal((await get('/api/v1/users/u1/orders/o1', { method: 'PUT', headers: { ...json, authorization: 'x' }, body: JSON.stringify({ status: 'lost' }) })).status, 400);
    assert.equal((await get('/api/v1/users/u1/orders/o1', { method: 'DELETE', headers: { ...json, authorization: 'x' }, body: JSON.stringify({ status: 'paid' }) })).status, 204);
    res = await get('/ping');
    assert.equal(res.status, 200);
    assert.deepEqual(await res.json(), { ok: false });

    const routes = readFileSync(join(dir, 'internal/handler/routes.ts'), 'utf8');
    assert.match(routes, /timeout: 3000/);
  });

  test('malformed .api files fail with file:line:col', async () => {
    const cases: Array<[string, string, RegExp]> = [
      ['unclosed type group', 'type (\n  A {\n    Id string `json:"id"`\n  }\n', /bad\.api:5:1: unclosed type \( group/],
      ['unknown type', 'type A {\n  B Missing `json:"b"`\n}\nservice s {\n  @handler H\n  get /a returns (A)\n}\n', /bad\.api:2:5: unknown type Missing/],
      ['bad method', 'service s {\n  @handler H\n  fetch /a\n}\n', /bad\.api:3:3: unknown HTTP method fetch/],
      ['route without handler', 'service s {\n  get /a\n}\n', /bad\.api:2:3: route get has no @handler/],
      ['path param without a path field', 'type R {\n  Id string `json:"id"`\n}\nservice s {\n  @handler H\n  get /a/:id (R)\n}\n', /bad\.api:5:3: path parameter :id of \/a\/:id needs a field tagged path:"id"/],
      ['duplicate handler', 'service s {\n  @handler H\n  get /a\n  @handler H\n  get /b\n}\n', /bad\.api:4:3: @handler H is declared twice/],
      ['unterminated tag', 'type A {\n  Id string `json:"id"\n}\n', /bad\.api:2:13: unterminated tag/],
      ['unknown @server key', '@server (\n  grup: a\n)\nservice s {\n  @handler H\n  get /a\n}\n', /bad\.api:2:3: unknown @server key grup/],
      ['bad syntax version', 'syntax = "v3"\n', /bad\.api:1:1: unsupported syntax "v3"/],
      ['missing returns', 'type A {}\nservice s {\n  @handler H\n  get /a (A) gives (A)\n}\n', /bad\.api:4:14: expected returns, found gives/],
    ];
    for (const [what, source, expected] of cases) {
      const dir = join(root.dir, `bad-${what.replace(/\W+/g, '-')}`);
      mkdirSync(dir, { recursive: true });
      writeFileSync(join(dir, 'bad.api'), source);
      const io = memoryIo({}, dir);
      assert.equal(await main(['gen', 'api', join(dir, 'bad.api')], io), 1, what);
      assert.match(io.stderr.join('\n'), expected, what);
      assert.throws(() => parseApi(source, 'bad.api') && genApi({ apiFile: join(dir, 'bad.api'), dir }), expected, what);
    }
  });

  test('gen openapi: an OpenAPI 3.1 document of the routes, from their zod schemas', async () => {
    const io = memoryIo({}, root.dir);
    assert.equal(await main(['gen', 'openapi', SHOP_API], io), 0);
    const doc = JSON.parse(io.stdout.join('\n')) as {
      openapi: string;
      info: { title: string };
      paths: Record<string, Record<string, { parameters?: Array<{ name: string; in: string; required: boolean }>; requestBody?: unknown; responses: Record<string, unknown> }>>;
      components: { schemas: Record<string, { properties: Record<string, unknown> }> };
    };
    assert.equal(doc.openapi, '3.1.0');
    const valid = await validate(structuredClone(doc) as never);
    assert.ok(valid.valid, valid.valid ? '' : compileErrors(valid));
    assert.equal(doc.info.title, 'shop api');
    assert.deepEqual(Object.keys(doc.paths).sort(), ['/api/v1/orders', '/api/v1/products', '/api/v1/products/{id}', '/api/v1/users/{userId}/orders/{orderId}', '/ping']);
    assert.deepEqual(doc.paths['/api/v1/products/{id}']!.get!.parameters, [{ name: 'id', in: 'path', required: true, schema: { type: 'integer', minimum: -9007199254740991, maximum: 9007199254740991 } }]);
    assert.deepEqual(doc.paths['/api/v1/orders']!.post!.parameters?.map((p) => [p.name, p.in, p.required]), [['x-token', 'header', true]]);
    assert.ok(doc.paths['/api/v1/orders']!.post!.requestBody);
    assert.deepEqual(Object.keys(doc.paths['/api/v1/users/{userId}/orders/{orderId}']!.delete!.responses), ['204', '400', '500', '503', 'default']);
    assert.deepEqual(Object.keys(doc.components.schemas.ListProductsReply!.properties), ['code', 'msg', 'items', 'total']);
  });
});
