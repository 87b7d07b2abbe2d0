/**
 * The files of an HTTP API laid out as `goctl api go` lays them out: `internal/types` (zod
 * schemas and their types) and `internal/handler/routes.ts` (every route, its schemas, group
 * prefix, timeout and middlewares) are generated; `internal/logic/<group>/<handler>.ts` (one per
 * route, TODO body returning a typed zero reply), `internal/middleware/`, `internal/svc`,
 * `internal/config`, `etc/NAME.yaml`, the entry and its test are yours.
 */
import { ImportSet, camelCase, kebabCase, logicName } from '../names.ts';
import { generatedHeader, type PlannedFile } from '../write-plan.ts';
import type { TypeExpr } from './ast.ts';
import type { ApiModel, ModelField, ModelRoute, ModelType } from './model.ts';
import { propKey, SchemaBuilder, schemaName } from './zod-schema.ts';

export interface ApiLayoutInput {
  /** Entry and config name: `order` → `order.ts`, `etc/order.yaml`. */
  name: string;
  /** The .api file as the user named it, for headers. */
  apiSource: string;
  model: ApiModel;
}

export function apiLayout(input: ApiLayoutInput): PlannedFile[] {
  const { model, name } = input;
  const header = generatedHeader('gen api', input.apiSource);
  const files: PlannedFile[] = [
    { path: 'internal/types/types.ts', content: header + typesFile(model), role: 'generated' },
    { path: 'internal/handler/routes.ts', content: header + routesFile(model), role: 'generated' },
  ];
  if (model.middlewares.length) files.push({ path: 'internal/handler/route-middleware.ts', content: header + ROUTE_MIDDLEWARE, role: 'generated' });
  for (const route of model.routes) files.push({ path: `internal/logic/${logicPath(route)}.ts`, content: logicFile(model, route), role: 'scaffold' });
  for (const m of model.middlewares) files.push({ path: `internal/middleware/${kebabCase(m)}.ts`, content: middlewareFile(m), role: 'scaffold' });
  files.push(
    { path: 'internal/svc/service-context.ts', content: SERVICE_CONTEXT, role: 'scaffold' },
    { path: 'internal/config/config.ts', content: CONFIG, role: 'scaffold' },
    { path: `etc/${name}.yaml`, content: yaml(name), role: 'scaffold' },
    { path: `${name}.ts`, content: mainFile(name), role: 'scaffold' },
    { path: `${name}.test.ts`, content: testFile(model, name), role: 'scaffold' },
  );
  return files;
}

function logicPath(route: ModelRoute): string {
  return route.group ? `${route.group}/${kebabCase(route.handler)}` : kebabCase(route.handler);
}

function typesFile(model: ApiModel): string {
  const built = new SchemaBuilder(model.types).all();
  const blocks = built.map(([name, s]) => {
    const doc = `/** ${name}, from the .api file. */\n`;
    return `${doc}export const ${schemaName(name)} = ${s.source};\nexport type ${name} = z.infer<typeof ${schemaName(name)}>;`;
  });
  return `import { z } from 'zod';\n\n${blocks.join('\n\n')}\n`;
}

function requestParts(type: ModelType): Array<[string, string]> {
  const parts: Array<[string, string]> = [];
  const pick = (fields: ModelField[]) => `${schemaName(type.name)}.pick({ ${fields.map((f) => `${propKey(f.prop)}: true`).join(', ')} })`;
  const by = (source: ModelField['source']) => type.fields.filter((f) => f.source === source);
  if (by('path').length) parts.push(['params', pick(by('path'))]);
  if (by('form').length) parts.push(['query', pick(by('form'))]);
  if (by('header').length) {
    const keys = by('header').map((f) => `${JSON.stringify(f.wire)}: ${schemaName(type.name)}.shape.${f.prop}`);
    parts.push(['headers', `z.object({ ${keys.join(', ')} })`]);
  }
  if (by('json').length) parts.push(['body', pick(by('json'))]);
  return parts;
}

function requestValue(type: ModelType): string {
  const spread: string[] = [];
  if (type.fields.some((f) => f.source === 'path')) spread.push('...ctx.params');
  if (type.fields.some((f) => f.source === 'form')) spread.push('...ctx.query');
  for (const f of type.fields.filter((f) => f.source === 'header')) spread.push(`${propKey(f.prop)}: ctx.headers[${JSON.stringify(f.wire)}]`);
  if (type.fields.some((f) => f.source === 'json')) spread.push('...ctx.body');
  return `{ ${spread.join(', ')} }`;
}

function routesFile(model: ApiModel): string {
  const imports = new ImportSet();
  imports.add('zeroscope/rest', 'defineRoute');
  imports.add('zeroscope/rest', 'RestServer', true);
  imports.add('../svc/service-context.ts', 'ServiceContext', true);
  const middlewares = model.middlewares.map((m) => ({ name: m, local: imports.add(`../middleware/${kebabCase(m)}.ts`, `${camelCase(m)}Middleware`) }));
  if (middlewares.length) imports.add('./route-middleware.ts', 'withMiddlewares');
  let usesZ = false;
  const routes = model.routes.map((route) => {
    const fn = imports.add(`../logic/${logicPath(route)}.ts`, logicName(route.handler));
    const type = route.request?.kind === 'ref' ? model.types.get(route.request.name) : undefined;
    const lines = [`      method: '${route.method.toUpperCase()}',`, `      path: '${route.fullPath}',`];
    if (route.timeoutMs !== undefined) lines.push(`      timeout: ${route.timeoutMs},`);
    let call = `${fn}(svc)`;
    let ctx = '()';
    if (type) {
      imports.add('../types/types.ts', schemaName(type.name));
      const parts = requestParts(type);
      if (parts.some(([k]) => k === 'headers')) usesZ = true;
      if (parts.length) lines.push(`      request: {\n${parts.map(([k, v]) => `        ${k}: ${v},`).join('\n')}\n      },`);
      call = `${fn}(svc, ${requestValue(type)})`;
      ctx = parts.length ? '(ctx)' : '()';
    }
    if (route.middlewares.length) {
      ctx = '(ctx)';
      call = `withMiddlewares(ctx, [${route.middlewares.map((m) => `middlewares.${camelCase(m)}`).join(', ')}], () => ${call})`;
    }
    lines.push(`      handler: ${ctx} => ${call},`);
    const doc = route.doc ? `    // ${route.doc}\n` : '';
    return `${doc}    defineRoute({\n${lines.join('\n')}\n    }),`;
  });
  if (usesZ) imports.add('zod', 'z');
  // Each middleware is made once per server, as go-zero's ServiceContext holds them.
  const made = middlewares.length
    ? `  const middlewares = {\n${middlewares.map((m) => `    ${camelCase(m.name)}: ${m.local}(svc),`).join('\n')}\n  };\n`
    : '';
  return `${imports.render()}

/** Every route of ${model.service} (go-zero's generated handler/routes.go). */
export function registerHandlers(server: RestServer, svc: ServiceContext): void {
${made}  server.addRoutes([
${routes.join('\n')}
  ]);
}
`;
}

const ROUTE_MIDDLEWARE = `import type { Context } from 'zeroscope/rest';

/** What a route middleware sees of a request: the raw request and response, path and route. */
export type RouteMiddlewareContext = Pick<Context, 'req' | 'res' | 'path' | 'route'>;

/**
 * A route middleware (go-zero's \`@server(middleware: ...)\`): runs around the routes of its
 * groups, may answer itself (throw HttpError) or call \`next()\` and return what it returns.
 */
export type RouteMiddleware = (ctx: RouteMiddlewareContext, next: () => Promise<unknown>) => Promise<unknown>;

/** Runs \`handler\` inside \`middlewares\`, the first outermost. */
export function withMiddlewares(ctx: RouteMiddlewareContext, middlewares: readonly RouteMiddleware[], handler: () => unknown): Promise<unknown> {
  const run = (i: number): Promise<unknown> => (i === middlewares.length ? Promise.resolve(handler()) : middlewares[i]!(ctx, () => run(i + 1)));
  return run(0);
}
`;

/** Go's zero value of a type, as TypeScript source: what a TODO logic body returns. */
export function zeroValue(model: ApiModel, t: TypeExpr, seen: string[] = []): string {
  switch (t.kind) {
    case 'base':
      return t.name === 'string' ? "''" : t.name === 'bool' ? 'false' : '0';
    case 'any':
      return 'null';
    case 'array':
      return '[]';
    case 'map':
      return '{}';
    case 'pointer':
      return 'null';
    case 'struct':
      return `{ ${t.fields.map((f) => `${propKey(f.name ?? '')}: ${zeroValue(model, f.type, seen)}`).join(', ')} }`;
    case 'ref': {
      const type = model.types.get(t.name)!;
      const fields = type.fields.filter((f) => !f.optional && f.defaultValue === undefined);
      const parts = fields.map((f) => `${propKey(f.prop)}: ${f.options ? zeroOption(f) : zeroValue(model, f.type, [...seen, t.name])}`);
      return parts.length ? `{ ${parts.join(', ')} }` : '{}';
    }
  }
}

function zeroOption(f: ModelField): string {
  const first = f.options![0]!;
  return f.type.kind === 'base' && f.type.name === 'string' ? JSON.stringify(first) : String(Number(first));
}

function logicFile(model: ApiModel, route: ModelRoute): string {
  const depth = route.group ? route.group.split('/').length + 2 : 2;
  const up = '../'.repeat(depth);
  const imports = new ImportSet();
  imports.add(`${up.slice(3)}svc/service-context.ts`, 'ServiceContext', true);
  const params = ['svc: ServiceContext'];
  if (route.request?.kind === 'ref') params.push(`req: ${imports.add(`${up.slice(3)}types/types.ts`, route.request.name, true)}`);
  let reply = 'void';
  let body = '  // TODO: implement; throw HttpError (zeroscope/rest) to answer 4xx/5xx.';
  if (route.response) {
    reply = typeSource(route.response, (n) => imports.add(`${up.slice(3)}types/types.ts`, n, true));
    body += `\n  return ${zeroValue(model, route.response)};`;
  }
  return `${imports.render()}

/** ${route.method.toUpperCase()} ${route.fullPath}${route.doc ? `: ${route.doc}` : ''}. */
export async function ${logicName(route.handler)}(${params.join(', ')}): Promise<${reply}> {
${body}
}
`;
}

function typeSource(t: TypeExpr, ref: (name: string) => string): string {
  switch (t.kind) {
    case 'base':
      return t.name === 'string' ? 'string' : t.name === 'bool' ? 'boolean' : 'number';
    case 'any':
      return 'unknown';
    case 'ref':
      return ref(t.name);
    case 'array':
      return `Array<${typeSource(t.elem, ref)}>`;
    case 'map':
      return `Record<string, ${typeSource(t.value, ref)}>`;
    case 'pointer':
      return `${typeSource(t.elem, ref)} | null`;
    case 'struct':
      return `{ ${t.fields.map((f) => `${propKey(f.name ?? '')}: ${typeSource(f.type, ref)}`).join('; ')} }`;
  }
}

function middlewareFile(name: string): string {
  return `import type { RouteMiddleware } from '../handler/route-middleware.ts';
import type { ServiceContext } from '../svc/service-context.ts';

/** The ${name} middleware of the routes whose @server block names it, made once per server. */
export function ${camelCase(name)}Middleware(svc: ServiceContext): RouteMiddleware {
  return async function ${camelCase(name)}(ctx, next) {
    // TODO: check or annotate the request (ctx.req); throw HttpError (zeroscope/rest) to refuse it.
    void svc;
    return next();
  };
}
`;
}

const SERVICE_CONTEXT = `import type { Config } from '../config/config.ts';

/** What the logic depends on (go-zero's ServiceContext): the config, plus the clients and stores you add. */
export interface ServiceContext {
  config: Config;
  /** Closes what the context opened (rpc clients, pools); runs after the server has drained. */
  close(): Promise<void>;
}

export function newServiceContext(config: Config): ServiceContext {
  return { config, close: async () => {} };
}
`;

const CONFIG = `import { type RestConf, RestConfSchema } from 'zeroscope/rest';
import type { z } from 'zod';

/** This service's config (go-zero's internal/config): an HTTP server's keys plus your own. */
export const ConfigSchema = RestConfSchema.extend({});

export type Config = z.infer<typeof ConfigSchema>;

/** The keys RestServer takes: its schema is strict, so your own keys stay out. */
export function serverConf(config: Config): RestConf {
  const keys = new Set(Object.keys(RestConfSchema.shape));
  return Object.fromEntries(Object.entries(config).filter(([key]) => keys.has(key))) as RestConf;
}
`;

function yaml(name: string): string {
  return `Name: ${name}
Host: 127.0.0.1
Port: 8888
Telemetry:
  Name: ${name}
  Endpoint: 127.0.0.1:4318
  Batcher: otlphttp
`;
}

function mainFile(name: string): string {
  return `/**
 * The ${name} HTTP API (go-zero's ${name}.go):
 *   node --import zeroscope/compile-cache dist/${name}.js -f etc/${name}.yaml  (npm start: built by tsc first)
 *   node --import tsx ${name}.ts -f etc/${name}.yaml  (npm run dev)
 * SIGTERM/SIGINT stop it gracefully (requests drained, spans flushed).
 */
import { fileURLToPath } from 'node:url';
import { configFileFromArgs, mustLoadConfig } from 'zeroscope/conf';
import { RestServer } from 'zeroscope/rest';
import { runGroup, type Server, ServiceGroup } from 'zeroscope/service';
import { ConfigSchema, serverConf } from './internal/config/config.ts';
import { registerHandlers } from './internal/handler/routes.ts';
import { newServiceContext } from './internal/svc/service-context.ts';

const defaultConfig = fileURLToPath(new URL('./etc/${name}.yaml', import.meta.url));
const conf = mustLoadConfig(configFileFromArgs(process.argv, defaultConfig), ConfigSchema);

const server = new RestServer(serverConf(conf));
const svc = newServiceContext(conf);
registerHandlers(server, svc);

// What the service context opened closes after the HTTP server has drained (groups stop in reverse order).
const context: Server = { start: async () => {}, stop: () => svc.close() };
await runGroup(new ServiceGroup().add(context, server));
console.log(\`Starting server at \${conf.Host}:\${server.port}...\`);
`;
}

function testFile(model: ApiModel, name: string): string {
  const calls = model.routes.map((route) => {
    const path = route.fullPath.replace(/:[A-Za-z_][A-Za-z0-9_]*/g, '1');
    const type = route.request?.kind === 'ref' ? model.types.get(route.request.name) : undefined;
    const hasBody = type?.fields.some((f) => f.source === 'json') ?? false;
    const init = hasBody ? `, { method: '${route.method.toUpperCase()}', headers: { 'content-type': 'application/json' }, body: JSON.stringify(${zeroValue(model, route.request!)}) }` : `, { method: '${route.method.toUpperCase()}' }`;
    return `  assert.ok((await fetch(\`\${base}${path}\`${init})).status < 500, '${route.method.toUpperCase()} ${route.fullPath}');`;
  });
  return `// Starts the API on a free port and calls each route once: run with \`node --import tsx --test\`.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { RestServer } from 'zeroscope/rest';
import { ConfigSchema, serverConf } from './internal/config/config.ts';
import { registerHandlers } from './internal/handler/routes.ts';
import { newServiceContext } from './internal/svc/service-context.ts';

test('${model.service} answers every route', async (t) => {
  const conf = ConfigSchema.parse({ Name: '${name}', Host: '127.0.0.1', Port: 0 });
  const server = new RestServer(serverConf(conf));
  const svc = newServiceContext(conf);
  registerHandlers(server, svc);
  await server.start();
  t.after(async () => {
    await server.stop();
    await svc.close();
  });
  const base = \`http://127.0.0.1:\${server.port}\`;
${calls.join('\n')}
});
`;
}
