/**
 * Child process for etcd-retry.test.ts: the example's user-rpc (its service and logic, config from
 * `-f`), except that GetUser prints `GetUser entered` and waits SLOW_USER_MS before answering, so
 * calls can be caught in flight on an instance that is then SIGKILLed.
 */
import { configFileFromArgs, mustLoadConfig } from '../../packages/zeroscope/src/conf/index.ts';
import { RpcServer, RpcServerConfSchema } from '../../packages/zeroscope/src/rpc/index.ts';
import { runGroup, ServiceGroup } from '../../packages/zeroscope/src/service/index.ts';
import { userServer } from '../../examples/user-rpc/internal/server/user-server.ts';
import { memoryStore } from '../../examples/user-rpc/internal/svc/store.ts';
import { UserService } from '../../examples/user-rpc/user-service.ts';

const delayMs = Number(process.env.SLOW_USER_MS ?? '0');
const conf = mustLoadConfig(configFileFromArgs(process.argv), RpcServerConfSchema);
const real = userServer(memoryStore());
const server = new RpcServer(conf);
server.addService(UserService, {
  ...real,
  GetUser: async (...args: Parameters<typeof real.GetUser>) => {
    process.stdout.write('GetUser entered\n');
    await new Promise((resolve) => setTimeout(resolve, delayMs));
    return real.GetUser(...args);
  },
});
await runGroup(new ServiceGroup().add(server));
console.log(`Starting rpc server at ${server.address}...`);
