/**
 * The files of an RPC service laid out as goctl lays out a zrpc service: `pb/` (messages,
 * service definitions: generated), `internal/server/` (one file per service mapping each method to
 * its logic: generated), `internal/logic/` (one file per method with a TODO body: yours),
 * `internal/svc/`, `internal/config/`, `etc/NAME.yaml`, the entry `NAME.ts` and its test (yours).
 */
import { CliRunError } from '../../errors.ts';
import { ImportSet, camelCase, kebabCase, logicName } from '../names.ts';
import { generatedHeader, type PlannedFile } from '../write-plan.ts';
import type { CompiledProto } from './compile-proto.ts';
import type { ProtoMethod, ProtoService, TypeRef } from './proto-model.ts';

export interface RpcLayoutInput {
  /** Entry and config name: `user` → `user.ts`, `etc/user.yaml`. */
  name: string;
  /** The .proto as the user named it, for headers. */
  protoSource: string;
  compiled: CompiledProto;
  services: ProtoService[];
}

/** Where the compiled code goes inside the service folder. */
export const PB_DIR = 'pb';

/** Every file of the service, generated ones first. */
export function rpcLayout(input: RpcLayoutInput): PlannedFile[] {
  const { name, services } = input;
  if (services.length === 0) throw new CliRunError(`${input.protoSource} defines no service`);
  const files: PlannedFile[] = input.compiled.files.map((f) => ({ path: `${PB_DIR}/${f.path}`, content: f.content, role: 'generated' }));
  for (const service of services) checkKeys(service, files);
  const nested = services.length > 1;
  for (const service of services) {
    files.push({ path: `internal/server/${kebabCase(service.name)}-server.ts`, content: serverFile(service, input.protoSource, nested), role: 'generated' });
    for (const method of service.methods) {
      files.push({ path: `internal/logic/${logicPath(service, method, nested)}.ts`, content: logicFile(service, method, nested), role: 'scaffold' });
    }
  }
  files.push(
    { path: 'internal/svc/service-context.ts', content: SERVICE_CONTEXT, role: 'scaffold' },
    { path: 'internal/config/config.ts', content: CONFIG, role: 'scaffold' },
    { path: `etc/${name}.yaml`, content: yaml(name), role: 'scaffold' },
    { path: `${name}.ts`, content: mainFile(name, services), role: 'scaffold' },
    { path: `${name}.test.ts`, content: testFile(name, services), role: 'scaffold' },
  );
  return files;
}

/** The method keys computed here must be the ones ts-proto wrote: fail loudly if not. */
function checkKeys(service: ProtoService, files: PlannedFile[]): void {
  const pb = files.find((f) => f.path === `${PB_DIR}/${service.module}.ts`)?.content ?? '';
  if (!pb.includes(`export const ${service.definition} = {`)) throw new CliRunError(`ts-proto wrote no ${service.definition}`);
  for (const m of service.methods) {
    if (!pb.includes(`path: "/${service.fullName}/${m.name}" as const`) || !pb.includes(`  ${m.key}: {\n`)) {
      throw new CliRunError(`ts-proto named ${service.fullName}/${m.name} otherwise than ${m.key}`);
    }
  }
}

function logicPath(service: ProtoService, method: ProtoMethod, nested: boolean): string {
  return nested ? `${kebabCase(service.name)}/${kebabCase(method.name)}` : kebabCase(method.name);
}

function pbModule(fromDepth: number, module: string): string {
  return `${'../'.repeat(fromDepth) || './'}${PB_DIR}/${module}.ts`;
}

function serverFile(service: ProtoService, protoSource: string, nested: boolean): string {
  const imports = new ImportSet();
  imports.add('zeroscope/rpc', 'GeneratedImplementation', true);
  imports.add(pbModule(2, service.module), service.definition, true);
  imports.add('../svc/service-context.ts', 'ServiceContext', true);
  const lines = service.methods.map((m) => {
    const fn = imports.add(`../logic/${logicPath(service, m, nested)}.ts`, logicName(m.name));
    const arg = m.kind === 'client-stream' || m.kind === 'bidi' ? 'requests' : 'request';
    return `    ${m.key}: (${arg}) => ${fn}(svc, ${arg}),`;
  });
  return `${generatedHeader('gen rpc', protoSource)}${imports.render()}

/** The \`${service.fullName}\` implementation: each method calls its logic in internal/logic (edit those). */
export function ${camelCase(service.name)}Server(svc: ServiceContext): GeneratedImplementation<typeof ${service.definition}> {
  return {
${lines.join('\n')}
  };
}
`;
}

function typeName(imports: ImportSet, depth: number, ref: TypeRef, asValue: boolean): string {
  return ref.kind === 'builtin' ? ref.ts : imports.add(pbModule(depth, ref.module), ref.name, !asValue);
}

function emptyOf(ref: TypeRef, local: string): string {
  return ref.kind === 'builtin' ? ref.empty : `${local}.create()`;
}

function logicFile(service: ProtoService, method: ProtoMethod, nested: boolean): string {
  const depth = nested ? 3 : 2;
  const imports = new ImportSet();
  imports.add(`${'../'.repeat(depth - 1)}svc/service-context.ts`, 'ServiceContext', true);
  const streamsOut = method.kind === 'server-stream' || method.kind === 'bidi';
  const input = typeName(imports, depth, method.input, false);
  const output = typeName(imports, depth, method.output, !streamsOut);
  const fn = logicName(method.name);
  const doc = `/** ${service.fullName}/${method.name}. */`;
  let body: string;
  switch (method.kind) {
    case 'unary':
      body = `${doc}
export async function ${fn}(svc: ServiceContext, request: ${input}): Promise<${output}> {
  // TODO: implement ${method.name}; throw RpcStatusError (zeroscope/rpc) to answer an error status.
  return ${emptyOf(method.output, output)};
}`;
      break;
    case 'server-stream':
      body = `${doc}
export async function* ${fn}(svc: ServiceContext, request: ${input}): AsyncGenerator<${output}> {
  // TODO: implement ${method.name}: yield each reply; throw RpcStatusError (zeroscope/rpc) to end with an error.
}`;
      break;
    case 'client-stream':
      body = `${doc}
export async function ${fn}(svc: ServiceContext, requests: AsyncIterable<${input}>): Promise<${output}> {
  for await (const request of requests) {
    // TODO: implement ${method.name}: handle each request.
    void request;
  }
  return ${emptyOf(method.output, output)};
}`;
      break;
    case 'bidi':
      body = `${doc}
export async function* ${fn}(svc: ServiceContext, requests: AsyncIterable<${input}>): AsyncGenerator<${output}> {
  for await (const request of requests) {
    // TODO: implement ${method.name}: yield the replies to each request.
    void request;
  }
}`;
      break;
  }
  return `${imports.render()}\n\n${body}\n`;
}

const SERVICE_CONTEXT = `import type { Config } from '../config/config.ts';

/** What the logic depends on (go-zero's ServiceContext): the config, plus the clients and stores you add. */
export interface ServiceContext {
  config: Config;
}

export function newServiceContext(config: Config): ServiceContext {
  return { config };
}
`;

const CONFIG = `import { type RpcServerConf, RpcServerConfSchema } from 'zeroscope/rpc';
import type { z } from 'zod';

/** This service's config (go-zero's internal/config): an RPC server's keys plus your own. */
export const ConfigSchema = RpcServerConfSchema.extend({});

export type Config = z.infer<typeof ConfigSchema>;

/** The keys RpcServer takes: its schema is strict, so your own keys stay out. */
export function serverConf(config: Config): RpcServerConf {
  const keys = new Set(Object.keys(RpcServerConfSchema.shape));
  return Object.fromEntries(Object.entries(config).filter(([key]) => keys.has(key))) as RpcServerConf;
}
`;

function yaml(name: string): string {
  return `Name: ${name}.rpc
ListenOn: 127.0.0.1:8080
Telemetry:
  Name: ${name}
  Endpoint: 127.0.0.1:4318
  Batcher: otlphttp
`;
}

function mainFile(name: string, services: ProtoService[]): string {
  const imports = new ImportSet();
  imports.add('node:url', 'fileURLToPath');
  imports.add('zeroscope/conf', 'configFileFromArgs');
  imports.add('zeroscope/conf', 'mustLoadConfig');
  imports.add('zeroscope/rpc', 'RpcServer');
  imports.add('zeroscope/service', 'runGroup');
  imports.add('zeroscope/service', 'ServiceGroup');
  imports.add('./internal/config/config.ts', 'ConfigSchema');
  imports.add('./internal/config/config.ts', 'serverConf');
  imports.add('./internal/svc/service-context.ts', 'newServiceContext');
  const adds = services.map((s) => {
    const def = imports.add(`./${PB_DIR}/${s.module}.ts`, s.definition);
    const impl = imports.add(`./internal/server/${kebabCase(s.name)}-server.ts`, `${camelCase(s.name)}Server`);
    return `server.addService(${def}, ${impl}(svc));`;
  });
  return `/**
 * The ${name} RPC service (go-zero's ${name}.go):
 *   node --import zeroscope/compile-cache dist/${name}.js -f etc/${name}.yaml  (npm start: built by tsc first)
 *   node --import tsx ${name}.ts -f etc/${name}.yaml  (npm run dev)
 * Prints its listening address; SIGTERM/SIGINT stop it gracefully (spans flushed).
 */
${imports.render()}

const defaultConfig = fileURLToPath(new URL('./etc/${name}.yaml', import.meta.url));
const conf = mustLoadConfig(configFileFromArgs(process.argv, defaultConfig), ConfigSchema);

const server = new RpcServer(serverConf(conf));
const svc = newServiceContext(conf);
${adds.join('\n')}
await runGroup(new ServiceGroup().add(server));
console.log(\`Starting rpc server at \${server.address}...\`);
`;
}

function testFile(name: string, services: ProtoService[]): string {
  const imports = new ImportSet();
  imports.add('node:assert/strict', 'default as assert');
  imports.add('node:test', 'test');
  imports.add('zeroscope/rpc', 'createClient');
  imports.add('zeroscope/rpc', 'RpcServer');
  imports.add('./internal/svc/service-context.ts', 'newServiceContext');
  imports.add('./internal/config/config.ts', 'ConfigSchema');
  imports.add('./internal/config/config.ts', 'serverConf');
  const blocks = services.map((s) => {
    const def = imports.add(`./${PB_DIR}/${s.module}.ts`, s.definition);
    const impl = imports.add(`./internal/server/${kebabCase(s.name)}-server.ts`, `${camelCase(s.name)}Server`);
    const calls = s.methods.map((m) => {
      const req = m.input.kind === 'builtin' ? m.input.empty : `${imports.add(`./${PB_DIR}/${m.input.module}.ts`, m.input.name)}.create()`;
      switch (m.kind) {
        case 'unary':
          return `  assert.ok((await client.${m.key}(${req})) !== null);`;
        case 'server-stream':
          return `  for await (const reply of client.${m.key}(${req})) assert.ok(reply !== null);`;
        case 'client-stream':
          return `  assert.ok((await client.${m.key}([${req}])) !== null);`;
        case 'bidi':
          return `  for await (const reply of client.${m.key}([${req}])) assert.ok(reply !== null);`;
      }
    });
    return `test('${s.fullName} answers every method', async (t) => {
  const conf = ConfigSchema.parse({ Name: '${name}.rpc', ListenOn: '127.0.0.1:0' });
  const server = new RpcServer(serverConf(conf));
  server.addService(${def}, ${impl}(newServiceContext(conf)));
  await server.start();
  t.after(() => server.stop());
  const client = createClient(${def}, { Endpoints: [server.address ?? ''] });
  t.after(() => client.close());
${calls.join('\n')}
});`;
  });
  return `// Starts the service on a free port and calls each method once: run with \`node --import tsx --test\`.
${imports.render().replace("import { default as assert } from 'node:assert/strict';", "import assert from 'node:assert/strict';")}

${blocks.join('\n\n')}
`;
}
