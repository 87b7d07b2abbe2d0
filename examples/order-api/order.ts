/**
 * The order HTTP API of the example (go-zero's order.go):
 *   node --import tsx examples/order-api/order.ts -f examples/order-api/etc/order.yaml
 * `GET /api/order/:id` calls user-rpc's GetUser; with `Telemetry` set, one request is one trace
 * of three spans. SIGTERM/SIGINT stop it gracefully (spans flushed).
 */
import { fileURLToPath } from 'node:url';
import { configFileFromArgs, mustLoadConfig } from 'zeroscope/conf';
import { RestServer } from 'zeroscope/rest';
import { runGroup, ServiceGroup, type Server } from 'zeroscope/service';
import { OrderConfSchema } from './internal/config/config.ts';
import { registerHandlers } from './internal/handler/routes.ts';
import { newServiceContext } from './internal/svc/service-context.ts';

const defaultConfig = fileURLToPath(new URL('./etc/order.yaml', import.meta.url));
const conf = mustLoadConfig(configFileFromArgs(process.argv, defaultConfig), OrderConfSchema);

const { UserRpc, ...restConf } = conf;
const server = new RestServer(restConf);
const svc = newServiceContext(conf);
registerHandlers(server, svc);

// The rpc client closes after the HTTP server has drained (groups stop in reverse order).
const userRpc: Server = { start: async () => {}, stop: async () => svc.userRpc.close() };
await runGroup(new ServiceGroup().add(userRpc, server));
console.log(`Starting server at ${conf.Host}:${server.port}...`);
