import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createInterface } from 'node:readline';
import { createRequire } from 'node:module';
import { after, describe, test } from 'node:test';
import { resolveBackendConfig, startBackend } from '../../backend/index.ts';
import { main } from '../main.ts';
import { memoryIo } from '../testing/index.ts';
import { eventually } from '../../../../../test/lib/eventually.ts';
import { cleanEnv } from '../../../../../test/lib/packed.ts';
import { NODE_FLAGS, runNode, tempRoot, typecheck } from './testing/temp-project.ts';

const require = createRequire(import.meta.url);
const root = tempRoot('zeroscope-new-');
after(() => root.remove());

function edit(file: string, from: string | RegExp, to: string): void {
  const text = readFileSync(file, 'utf8');
  const next = text.replace(from, to);
  assert.notEqual(next, text, `${file}: ${String(from)} not found`);
  writeFileSync(file, next);
}

/**
 * Starts `entry` with its config (through tsx unless `flags` says otherwise), resolves once it
 * prints the line matching `ready`.
 */
async function start(
  t: { after(fn: () => unknown): void },
  cwd: string,
  entry: string,
  config: string,
  ready: RegExp,
  flags: readonly string[] = NODE_FLAGS,
): Promise<{ child: ChildProcess; match: RegExpExecArray }> {
  const child = spawn(process.execPath, [...flags, entry, '-f', config], { cwd, env: cleanEnv(), stdio: ['ignore', 'pipe', 'pipe'] });
  let errors = '';
  child.stderr!.setEncoding('utf8').on('data', (c: string) => (errors += c));
  const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
  t.after(async () => {
    if (child.exitCode === null) {
      child.kill('SIGTERM');
      assert.equal(await exited, 0, `${entry} exits 0 on SIGTERM`);
    }
  });
  for await (const line of createInterface({ input: child.stdout! })) {
    const match = ready.exec(line);
    if (match) return { child, match };
  }
  throw new Error(`${entry} exited before it was ready:\n${errors}`);
}

describe('zeroscope new', () => {
  test('--dry-run lists every file it would write and writes none', async () => {
    for (const [kind, expected] of [
      ['rpc', ['dry.proto', 'package.json', 'tsconfig.json', 'pb/dry.ts', 'internal/server/dry-server.ts', 'internal/logic/ping.ts', 'etc/dry.yaml', 'dry.ts', 'dry.test.ts']],
      ['api', ['dry.api', 'package.json', 'tsconfig.json', 'internal/types/types.ts', 'internal/handler/routes.ts', 'internal/logic/hello.ts', 'etc/dry.yaml', 'dry.ts', 'dry.test.ts']],
    ] as const) {
      const dir = join(root.dir, `dry-${kind}`);
      const io = memoryIo({}, root.dir);
      assert.equal(await main(['new', kind, 'dry', '--dir', dir, '--dry-run'], io), 0, io.stderr.join('\n'));
      const listed = io.stdout.filter((l) => l.startsWith('would create')).map((l) => l.replace(/^would create\s+/, ''));
      for (const file of expected) assert.ok(listed.includes(file), `${kind}: ${file} in ${listed.join(', ')}`);
      assert.equal(existsSync(dir), false);
    }
    // A given .proto brings the files it imports (the well-known types come with the compiler).
    const io = memoryIo({}, root.dir);
    const shop = fileURLToPath(new URL('../../../../zeroscope/src/rpc/testdata/shop/shop.proto', import.meta.url));
    assert.equal(await main(['new', 'rpc', 'shop', '--proto', shop, '--dir', join(root.dir, 'dry-shop'), '--dry-run'], io), 0, io.stderr.join('\n'));
    const listed = io.stdout.join('\n');
    for (const file of ['shop.proto', 'common/money.proto', 'pb/common/money.ts', 'pb/google/protobuf/timestamp.ts', 'internal/logic/exchange.ts']) assert.match(listed, new RegExp(`would create\\s+${file}`));
    assert.doesNotMatch(listed, /would create\s+google\/protobuf\/timestamp\.proto/);
  });

  test('new rpc + new api: the API calls the RPC through the generated client; strict, started, traced in the backend', async (t) => {
    const user = join(root.dir, 'user');
    const order = join(root.dir, 'order');
    for (const [kind, name] of [['rpc', 'user'], ['api', 'order']] as const) {
      const io = memoryIo({}, root.dir);
      assert.equal(await main(['new', kind, name], io), 0, io.stderr.join('\n'));
      assert.match(io.stdout.join('\n'), /create\s+package\.json/);
    }
    for (const file of ['user.proto', 'pb/user.ts', 'internal/server/user-server.ts', 'internal/logic/ping.ts', 'etc/user.yaml', 'user.ts', 'user.test.ts', 'package.json', 'tsconfig.json']) {
      assert.ok(existsSync(join(user, file)), `user/${file}`);
    }
    for (const file of ['order.api', 'internal/types/types.ts', 'internal/handler/routes.ts', 'internal/logic/hello.ts', 'etc/order.yaml', 'order.ts', 'order.test.ts']) {
      assert.ok(existsSync(join(order, file)), `order/${file}`);
    }
    assert.match(readFileSync(join(user, 'etc/user.yaml'), 'utf8'), /Telemetry:\n  Name: user\n  Endpoint: 127\.0\.0\.1:4318/);
    root.installPackages(user);
    root.installPackages(order);

    // What a user then writes: the RPC's logic, and the API's client of it in config, svc and logic.
    edit(join(user, 'internal/logic/ping.ts'), 'return PingReply.create();', 'return PingReply.create({ message: `pong: ${request.message}` });');
    edit(join(order, 'internal/config/config.ts'), "import { type RestConf, RestConfSchema } from 'zeroscope/rest';", "import { type RestConf, RestConfSchema } from 'zeroscope/rest';\nimport { RpcClientConfSchema } from 'zeroscope/rpc';");
    edit(join(order, 'internal/config/config.ts'), 'RestConfSchema.extend({})', 'RestConfSchema.extend({ UserRpc: RpcClientConfSchema })');
    writeFileSync(
      join(order, 'internal/svc/service-context.ts'),
      `import { createClient, type RpcClient } from 'zeroscope/rpc';
import { UserService } from '../../../user/pb/user.ts';
import type { Config } from '../config/config.ts';

export interface ServiceContext {
  config: Config;
  userRpc: RpcClient<typeof UserService>;
  close(): Promise<void>;
}

export function newServiceContext(config: Config): ServiceContext {
  const userRpc = createClient(UserService, config.UserRpc);
  return { config, userRpc, close: async () => userRpc.close() };
}
`,
    );
    edit(join(order, 'internal/logic/hello.ts'), "return { message: '' };", 'const reply = await svc.userRpc.ping({ message: req.name });\n  return { message: reply.message };');

    // Regenerating keeps every edit.
    for (const [kind, dir, file] of [['rpc', user, 'user.proto'], ['api', order, 'order.api']] as const) {
      const io = memoryIo({}, dir);
      assert.equal(await main(['gen', kind, file], io), 0, io.stderr.join('\n'));
      assert.doesNotMatch(io.stdout.join('\n'), /^(create|update) /m, io.stdout.join('\n'));
    }
    for (const dir of [user, order]) {
      const checked = await typecheck(dir);
      assert.equal(checked.code, 0, checked.output);
    }
    const scaffoldTest = await runNode([...NODE_FLAGS, '--test', 'user.test.ts'], user);
    assert.equal(scaffoldTest.code, 0, scaffoldTest.output);

    // `npm start` runs the tsc build on plain Node: no loader in a started service, only the
    // compile-cache preload (a no-op on Node 20, which this runs on; service/compile-cache.test.ts
    // covers Node 24).
    const scripts = (JSON.parse(readFileSync(join(user, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts;
    assert.equal(scripts.prestart, 'tsc -p .');
    const [command, ...startArgs] = scripts.start!.split(' ');
    assert.deepEqual([command, ...startArgs], ['node', '--import', 'zeroscope/compile-cache', 'dist/user.js', '-f', 'etc/user.yaml']);
    const [startEntry, startFlags] = [startArgs[2], startArgs.slice(0, 2)];
    const built = await runNode([require.resolve('typescript/bin/tsc'), '-p', '.'], user);
    assert.equal(built.code, 0, built.output);

    const backend = await startBackend(
      resolveBackendConfig({ dataDir: join(root.dir, 'data'), otlpHttpPort: '0', otlpGrpcPort: '0', zipkinPort: '0', queryPort: '0' }, {}),
    );
    t.after(() => backend.stop());
    const otlp = backend.addresses.otlpHttp.replace('http://', '');
    writeFileSync(join(user, 'etc/test.yaml'), `Name: user.rpc\nListenOn: 127.0.0.1:0\nTelemetry:\n  Name: user\n  Endpoint: ${otlp}\n  Batcher: otlphttp\n`);
    const rpc = await start(t, user, startEntry!, 'etc/test.yaml', /Starting rpc server at (\S+)\.\.\./, startFlags);
    writeFileSync(
      join(order, 'etc/test.yaml'),
      `Name: order\nHost: 127.0.0.1\nPort: 0\nTelemetry:\n  Name: order\n  Endpoint: ${otlp}\n  Batcher: otlphttp\nUserRpc:\n  Endpoints:\n    - ${rpc.match[1]}\n`,
    );
    const api = await start(t, order, 'order.ts', 'etc/test.yaml', /Starting server at \S+:(\d+)\.\.\./);

    const res = await fetch(`http://127.0.0.1:${api.match[1]}/hello/ada`);
    assert.equal(res.status, 200);
    assert.deepEqual(await res.json(), { message: 'pong: ada' });
    const traceId = /^00-([0-9a-f]{32})-/.exec(res.headers.get('traceparent') ?? '')?.[1];
    assert.ok(traceId, 'the response names its trace');

    // The spans leave in batches: wait until the backend holds all three.
    type TempoTrace = { batches: Array<{ resource: { attributes: Array<{ key: string; value: { stringValue?: string } }> }; scopeSpans: Array<{ spans: Array<{ name: string; kind: string; spanId: string; parentSpanId?: string }> }> }> };
    let spans: Array<{ service: string; name: string; kind: string; spanId: string; parentSpanId?: string }> = [];
    await eventually(
      () => `3 spans of trace ${traceId}, saw ${spans.length}`,
      async () => {
        const found = await fetch(`${backend.addresses.query}/api/traces/${traceId}`);
        if (found.status !== 200) {
          await found.body?.cancel();
          return undefined;
        }
        const body = (await found.json()) as TempoTrace;
        spans = body.batches.flatMap((b) => {
          const service = b.resource.attributes.find((a) => a.key === 'service.name')?.value.stringValue ?? '';
          return b.scopeSpans.flatMap((s) => s.spans.map((span) => ({ service, ...span })));
        });
        return spans.length >= 3;
      },
      { timeoutMs: 20_000, pollMs: 200 },
    );
    const shape = spans.map((s) => `${s.service} ${s.kind} ${s.name}`).sort();
    assert.deepEqual(shape, ['order SPAN_KIND_CLIENT user.User/Ping', 'order SPAN_KIND_SERVER GET /hello/:name', 'user SPAN_KIND_SERVER user.User/Ping']);
    const server = spans.find((s) => s.kind === 'SPAN_KIND_SERVER' && s.service === 'order')!;
    const client = spans.find((s) => s.kind === 'SPAN_KIND_CLIENT')!;
    const rpcServer = spans.find((s) => s.kind === 'SPAN_KIND_SERVER' && s.service === 'user')!;
    assert.equal(client.parentSpanId, server.spanId);
    assert.equal(rpcServer.parentSpanId, client.spanId);
  });
});
