// Starts user-rpc and order-api in this process and calls the route: an order, a 404 for an
// unknown user, a 400 for a non-numeric id.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { RestServer } from 'zeroscope/rest';
import { RpcServer } from 'zeroscope/rpc';
import { ConfigSchema as UserConfigSchema } from '../user-rpc/internal/config/config.ts';
import { userServer } from '../user-rpc/internal/server/user-server.ts';
import { newServiceContext as newUserContext } from '../user-rpc/internal/svc/service-context.ts';
import { UserService } from '../user-rpc/pb/user.ts';
import { ConfigSchema, serverConf } from './internal/config/config.ts';
import { registerHandlers } from './internal/handler/routes.ts';
import { newServiceContext } from './internal/svc/service-context.ts';

test('order-api answers GET /api/order/:id through user-rpc', async (t) => {
  const users = new RpcServer({ Name: 'user.rpc', ListenOn: '127.0.0.1:0' });
  users.addService(UserService, userServer(newUserContext(UserConfigSchema.parse({ Name: 'user.rpc', ListenOn: '127.0.0.1:0' }))));
  await users.start();
  t.after(() => users.stop());

  const conf = ConfigSchema.parse({ Name: 'order', Host: '127.0.0.1', Port: 0, UserRpc: { Endpoints: [users.address] } });
  const server = new RestServer(serverConf(conf));
  const svc = newServiceContext(conf);
  registerHandlers(server, svc);
  await server.start();
  t.after(async () => {
    await server.stop();
    await svc.close();
  });
  const base = `http://127.0.0.1:${server.port}`;

  const res = await fetch(`${base}/api/order/2`);
  assert.equal(res.status, 200);
  assert.deepEqual(await res.json(), {
    id: '2',
    userId: '2',
    item: 'order 2 of Grace Hopper',
    user: { id: '2', name: 'Grace Hopper', email: 'grace@example.com' },
  });
  assert.equal((await fetch(`${base}/api/order/999`)).status, 404);
  assert.equal((await fetch(`${base}/api/order/abc`)).status, 400);
});
