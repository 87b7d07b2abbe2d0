// Child process for start-up.test.ts (the agent and the logger are set up once per process): a
// service as the examples start one — config file through the loader, the rest and rpc packages
// imported, a RestServer started — that reports which packages were loaded once it listened, once the
// event loop idled, and again after serving one request (whose handler logs a line when asked), then stops.
import { createRequire } from 'node:module';
import { loadConfig } from '../../conf/index.ts';
import { logger } from '../../log/index.ts';
import { RestConfSchema, RestServer } from '../../rest/index.ts';
import { RpcClientConfSchema } from '../../rpc/index.ts';
import { ServiceGroup } from '../index.ts';

interface Args {
  /** The config file (YAML). */
  file: string;
  /** Whether the handler logs a line. */
  logLine?: boolean;
  /** Start the server alone, without a ServiceGroup (so nothing warms the agent up). */
  alone?: boolean;
}
const args = JSON.parse(process.argv[2] ?? '{}') as Args;

const cache = createRequire(import.meta.url).cache;
/** The packages whose CommonJS files are loaded (every optional package zeroscope uses is CommonJS). */
function loadedPackages(): string[] {
  const names = new Set<string>();
  for (const file of Object.keys(cache)) {
    const match = /\/node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(file.slice(file.lastIndexOf('/node_modules/')));
    if (match?.[1] !== undefined) names.add(match[1]);
  }
  return [...names].sort();
}

// The examples' config shape: the server's keys and a client block (which the server does not take).
const { UserRpc: _client, ...conf } = loadConfig(args.file, RestConfSchema.extend({ UserRpc: RpcClientConfSchema.optional() }));
const server = new RestServer(conf);
server.addRoute({
  method: 'GET',
  path: '/work',
  handler: () => {
    if (args.logLine) logger().info({ orderId: 1 }, 'work done');
    return { ok: true };
  },
});
const group = new ServiceGroup().add(server);
if (args.alone) await server.start();
else await group.start();
const startUp = loadedPackages();
// Two turns of the event loop: the group's warm-up runs in the first idle one.
await new Promise((resolve) => setImmediate(resolve));
await new Promise((resolve) => setImmediate(resolve));
const idle = loadedPackages();
const answer = await fetch(`http://127.0.0.1:${server.port}/work`);
const afterRequest = loadedPackages();
if (args.alone) await server.stop();
else await group.stop();
process.stdout.write(`\nRESULT ${JSON.stringify({ status: answer.status, startUp, idle, afterRequest })}\n`);
