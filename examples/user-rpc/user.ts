/**
 * The user RPC service of the example (go-zero's user.go):
 *   node --import tsx examples/user-rpc/user.ts -f examples/user-rpc/etc/user.yaml
 * Prints its listening address; SIGTERM/SIGINT stop it gracefully (spans flushed).
 */
import { fileURLToPath } from 'node:url';
import { configFileFromArgs, mustLoadConfig } from 'zeroscope/conf';
import { RpcServer, RpcServerConfSchema } from 'zeroscope/rpc';
import { runGroup, ServiceGroup } from 'zeroscope/service';
import { userServer } from './internal/server/user-server.ts';
import { memoryStore } from './internal/svc/store.ts';
import { UserService } from './user-service.ts';

const defaultConfig = fileURLToPath(new URL('./etc/user.yaml', import.meta.url));
const conf = mustLoadConfig(configFileFromArgs(process.argv, defaultConfig), RpcServerConfSchema);

const server = new RpcServer(conf);
server.addService(UserService, userServer(memoryStore()));
await runGroup(new ServiceGroup().add(server));
console.log(`Starting rpc server at ${server.address}...`);
