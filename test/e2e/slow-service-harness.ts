/**
 * Child process for reliability.test.ts: a RestServer from the YAML given with `-f`, with
 * `GET /slow?ms=N` (prints `slow entered` when it starts, answers after N ms) and `GET /ping`.
 * SIGTERM stops it the way a service's main does (runGroup).
 */
import { z } from 'zod';
import { configFileFromArgs, loadConfig } from '../../packages/zeroscope/src/conf/index.ts';
import { RestConfSchema, RestServer } from '../../packages/zeroscope/src/rest/index.ts';
import { runGroup, ServiceGroup } from '../../packages/zeroscope/src/service/index.ts';

const conf = loadConfig(configFileFromArgs(process.argv), RestConfSchema);
const server = new RestServer(conf);
server.addRoute({
  method: 'GET',
  path: '/slow',
  request: { query: z.object({ ms: z.coerce.number().int().min(0).max(10_000) }) },
  handler: async ({ query }) => {
    console.log('slow entered');
    await new Promise((resolve) => setTimeout(resolve, query.ms));
    return { slept: query.ms };
  },
});
server.addRoute({ method: 'GET', path: '/ping', handler: () => 'pong' });
await runGroup(new ServiceGroup().add(server));
console.log(`Starting server at ${conf.Host}:${server.port}...`);
