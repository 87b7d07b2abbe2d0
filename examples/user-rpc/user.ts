/**
 * The user RPC service (go-zero's user.go):
 *   node --import tsx user.ts -f etc/user.yaml
 * Prints its listening address; SIGTERM/SIGINT stop it gracefully (spans flushed).
 */
import { fileURLToPath } from 'node:url';
import { configFileFromArgs, mustLoadConfig } from 'zeroscope/conf';
import { RpcServer } from 'zeroscope/rpc';
import { runGroup, ServiceGroup } from 'zeroscope/service';
import { ConfigSchema, serverConf } from './internal/config/config.ts';
import { userServer } from './internal/server/user-server.ts';
import { newServiceContext } from './internal/svc/service-context.ts';
import { UserService } from './pb/user.ts';

const defaultConfig = fileURLToPath(new URL('./etc/user.yaml', import.meta.url));
const conf = mustLoadConfig(configFileFromArgs(process.argv, defaultConfig), ConfigSchema);

const server = new RpcServer(serverConf(conf));
const svc = newServiceContext(conf);
server.addService(UserService, userServer(svc));
await runGroup(new ServiceGroup().add(server));
console.log(`Starting rpc server at ${server.address}...`);
