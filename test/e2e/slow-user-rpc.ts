/**
 * Child process for etcd-retry.test.ts: the example's user-rpc (its service and logic, config from
 * `-f`), except that getUser prints `GetUser entered` and waits SLOW_USER_MS before answering, so
 * calls can be caught in flight on an instance that is then SIGKILLed.
 */
import { configFileFromArgs, mustLoadConfig } from '../../packages/zeroscope/src/conf/index.ts';
import { RpcServer } from '../../packages/zeroscope/src/rpc/index.ts';
import { runGroup, ServiceGroup } from '../../packages/zeroscope/src/service/index.ts';
import { ConfigSchema, serverConf } from '../../examples/user-rpc/internal/config/config.ts';
import { userServer } from '../../examples/user-rpc/internal/server/user-server.ts';
import { newServiceContext } from '../../examples/user-rpc/internal/svc/service-context.ts';
import { UserService } from '../../examples/user-rpc/pb/user.ts';

const delayMs = Number(process.env.SLOW_USER_MS ?? '0');
const conf = mustLoadConfig(configFileFromArgs(process.argv), ConfigSchema);
const real = userServer(newServiceContext(conf));
const server = new RpcServer(serverConf(conf));
server.addService(UserService, {
  ...real,
  getUser: async (...args: Parameters<typeof real.getUser>) => {
    process.stdout.write('GetUser entered\n');
    await new Promise((resolve) => setTimeout(resolve, delayMs));
    return real.getUser(...args);
  },
});
await runGroup(new ServiceGroup().add(server));
console.log(`Starting rpc server at ${server.address}...`);
