/**
 * The order HTTP API (go-zero's order.go):
 *   node --import tsx order.ts -f etc/order.yaml
 * SIGTERM/SIGINT stop it gracefully (requests drained, spans flushed).
 */
import { fileURLToPath } from 'node:url';
import { configFileFromArgs, mustLoadConfig } from 'zeroscope/conf';
import { RestServer } from 'zeroscope/rest';
import { runGroup, type Server, ServiceGroup } from 'zeroscope/service';
import { ConfigSchema, serverConf } from './internal/config/config.ts';
import { registerHandlers } from './internal/handler/routes.ts';
import { newServiceContext } from './internal/svc/service-context.ts';

const defaultConfig = fileURLToPath(new URL('./etc/order.yaml', import.meta.url));
const conf = mustLoadConfig(configFileFromArgs(process.argv, defaultConfig), ConfigSchema);

const server = new RestServer(serverConf(conf));
const svc = newServiceContext(conf);
registerHandlers(server, svc);

// What the service context opened closes after the HTTP server has drained (groups stop in reverse order).
const context: Server = { start: async () => {}, stop: () => svc.close() };
await runGroup(new ServiceGroup().add(context, server));
console.log(`Starting server at ${conf.Host}:${server.port}...`);
