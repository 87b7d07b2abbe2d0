import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { describe, test } from 'node:test';
import { SpanKind, SpanStatusCode } from '@opentelemetry/api';
import { createClient, RpcServer, RpcStatusError, status } from 'zeroscope/rpc';
import { installTestTracer } from '../../packages/zeroscope/src/trace/testing/index.ts';
import { ConfigSchema } from './internal/config/config.ts';
import { userServer } from './internal/server/user-server.ts';
import { newServiceContext } from './internal/svc/service-context.ts';
import { UserService } from './pb/user.ts';

describe('user-rpc', () => {
  test('GetUser, ListOrders and NOT_FOUND through a real client, traced', async (t) => {
    const tracing = installTestTracer('user');
    t.after(() => tracing.shutdown());
    const server = new RpcServer({ Name: 'user.rpc', ListenOn: '127.0.0.1:0' });
    server.addService(UserService, userServer(newServiceContext(ConfigSchema.parse({ Name: 'user.rpc', ListenOn: '127.0.0.1:0' }))));
    await server.start();
    t.after(() => server.stop());
    const users = createClient(UserService, { Endpoints: [server.address ?? ''] });
    t.after(() => users.close());

    assert.deepEqual(await users.getUser({ id: '2' }), { id: '2', name: 'Grace Hopper', email: 'grace@example.com' });
    for (const id of ['1', '3']) assert.equal((await users.getUser({ id })).id, id);
    await assert.rejects(
      users.getUser({ id: '9' }),
      (err: unknown) => err instanceof RpcStatusError && err.grpcCode === status.NOT_FOUND && err.details === 'user 9 not found',
    );

    const items: string[] = [];
    for await (const order of users.listOrders({ userId: '1' })) items.push(order.item);
    assert.deepEqual(items, ['analytical engine', 'punched cards']);
    await assert.rejects(async () => {
      for await (const _ of users.listOrders({ userId: '9' }));
    }, (err: unknown) => err instanceof RpcStatusError && err.grpcCode === status.NOT_FOUND);

    const servers = tracing.spans().filter((s) => s.kind === SpanKind.SERVER);
    assert.deepEqual(
      servers.map((s) => [s.name, s.attributes['rpc.grpc.status_code']]),
      [
        ['user.User/GetUser', 0],
        ['user.User/GetUser', 0],
        ['user.User/GetUser', 0],
        ['user.User/GetUser', 5],
        ['user.User/ListOrders', 0],
        ['user.User/ListOrders', 5],
      ],
    );
    assert.equal(servers[3].status.code, SpanStatusCode.ERROR);
    assert.equal(servers[4].attributes['user.orders.count'], 2);
  });

  test('user.ts: -f config, prints its address, serves, exits 0 on SIGTERM', async (t) => {
    const dir = mkdtempSync(join(tmpdir(), 'user-rpc-'));
    t.after(() => rmSync(dir, { recursive: true, force: true }));
    const file = join(dir, 'user.yaml');
    writeFileSync(file, 'Name: user.rpc\nListenOn: 127.0.0.1:0\n');
    const entry = fileURLToPath(new URL('./user.ts', import.meta.url));
    const child = spawn(process.execPath, ['--import', 'tsx', entry, '-f', file], { stdio: ['ignore', 'pipe', 'inherit'] });
    t.after(() => {
      if (child.exitCode === null) child.kill('SIGKILL');
    });
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));

    let address = '';
    for await (const line of createInterface({ input: child.stdout })) {
      const match = /Starting rpc server at (\S+)\.\.\./.exec(line);
      if (match) {
        address = match[1];
        break;
      }
    }
    assert.match(address, /^127\.0\.0\.1:\d+$/);
    const users = createClient(UserService, { Endpoints: [address] });
    t.after(() => users.close());
    assert.equal((await users.getUser({ id: '1' })).name, 'Ada Lovelace');

    child.kill('SIGTERM');
    assert.equal(await exited, 0);
  });
});
