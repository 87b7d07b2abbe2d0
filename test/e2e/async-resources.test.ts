// Pins the async resources (promises, ticks, timers, ...) zeroscope's own layers create per traced
// request of the seed's chain (order HTTP → user gRPC, both in this process, all the built-in
// middleware on, tracing on with an AsyncLocalStorage context manager). While tracing is on, Node 20
// runs an async-hooks init for each one and AsyncLocalStorage copies its context onto it, so a
// layer that starts making one more per request fails here. A resource counts as zeroscope's when
// the nearest frame of its creation stack outside Node itself is in packages/zeroscope/src;
// grpc-js's, the HTTP client's and the example handler's own are left out.
import assert from 'node:assert/strict';
import { createHook } from 'node:async_hooks';
import { Agent, request } from 'node:http';
import { after, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { trace } from '@opentelemetry/api';
import { RestServer } from 'zeroscope/rest';
import { RpcServer } from 'zeroscope/rpc';
import { installTestTracer } from '../../packages/zeroscope/src/trace/testing/index.ts';
import { ConfigSchema as UserConfigSchema } from '../../examples/user-rpc/internal/config/config.ts';
import { userServer } from '../../examples/user-rpc/internal/server/user-server.ts';
import { newServiceContext as newUserContext } from '../../examples/user-rpc/internal/svc/service-context.ts';
import { UserService } from '../../examples/user-rpc/pb/user.ts';
import { ConfigSchema, serverConf } from '../../examples/order-api/internal/config/config.ts';
import { registerHandlers } from '../../examples/order-api/internal/handler/routes.ts';
import { newServiceContext } from '../../examples/order-api/internal/svc/service-context.ts';

const tracing = installTestTracer('async-resources');
after(() => tracing.shutdown());

const OWN_SOURCES = fileURLToPath(new URL('../../packages/zeroscope/src/', import.meta.url));

/** `fn (file:line)` of the nearest frame outside Node of the current stack, or undefined. */
function creator(): { fn: string; file: string } | undefined {
  const saved = Error.stackTraceLimit;
  Error.stackTraceLimit = 30;
  const stack = new Error().stack ?? '';
  Error.stackTraceLimit = saved;
  for (const line of stack.split('\n').slice(1)) {
    const m = /at (?:async )?(?:(\S+) )?\(?(?:file:\/\/)?([^()]+?):\d+:\d+\)?$/.exec(line.trim());
    if (m === null) continue;
    const [, fn = '(anonymous)', file] = m;
    if (file.startsWith('node:') || file === import.meta.filename || !file.startsWith('/')) continue;
    return { fn, file };
  }
  return undefined;
}

test('zeroscope makes 3 promises per traced order → user request (none on the gRPC server side), beside what Node makes to write the response', async (t) => {
  const users = new RpcServer({ Name: 'user.rpc', ListenOn: '127.0.0.1:0', CpuThreshold: 0 });
  users.addService(UserService, userServer(newUserContext(UserConfigSchema.parse({ Name: 'user.rpc', ListenOn: '127.0.0.1:0' }))));
  await users.start();
  t.after(() => users.stop());
  const conf = ConfigSchema.parse({ Name: 'order', Host: '127.0.0.1', Port: 0, CpuThreshold: 0, UserRpc: { Endpoints: [users.address] } });
  const server = new RestServer(serverConf(conf));
  const svc = newServiceContext(conf);
  registerHandlers(server, svc);
  await server.start();
  t.after(async () => {
    await server.stop();
    await svc.close();
  });

  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  t.after(() => agent.destroy());
  const get = () =>
    new Promise<number>((resolve, reject) => {
      request({ host: '127.0.0.1', port: server.port, path: '/api/order/1', agent }, (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      })
        .on('error', reject)
        .end();
    });
  // Warm up: the connections, the channel, every lazily built route and method table.
  for (let i = 0; i < 20; i++) assert.equal(await get(), 200);

  const own = new Map<string, number>();
  let counting = false;
  const hook = createHook({
    init(_id, type) {
      if (!counting) return;
      const site = creator();
      if (site === undefined || !site.file.startsWith(OWN_SOURCES)) return;
      const key = `${type} ${site.fn} (${site.file.slice(OWN_SOURCES.length)})`;
      own.set(key, (own.get(key) ?? 0) + 1);
    },
  }).enable();
  t.after(() => hook.disable());

  const requests = 50;
  tracing.reset();
  counting = true;
  for (let i = 0; i < requests; i++) assert.equal(await get(), 200);
  counting = false;

  // Traced for real: three spans per request, the user's SERVER span in the order's trace.
  const spans = tracing.spans();
  assert.equal(spans.length, 3 * requests);
  const userSpan = spans.find((s) => s.name === 'user.User/GetUser' && s.kind === 2);
  assert.ok(userSpan);
  assert.ok(spans.some((s) => s.spanContext().traceId === userSpan.spanContext().traceId && s.name === 'GET /api/order/:id'));
  assert.equal(trace.getActiveSpan(), undefined);

  const perRequest = (keep: (site: string) => boolean) =>
    Object.fromEntries([...own].filter(([site]) => keep(site)).map(([site, n]) => [site, n / requests]));
  assert.deepEqual(perRequest((site) => site.startsWith('PROMISE ')), {
    // The built-in middleware run as one step: one reaction on the inner steps (rest/internal/stages.ts).
    'PROMISE StageRun.start (rest/internal/stages.ts)': 1,
    // The handler's promise, then the response is sent.
    'PROMISE answer (rest/endpoint.ts)': 1,
    // The promise the generated client method returns.
    'PROMISE UnarySender.send (rpc/client/unary-call.ts)': 1,
  });
  // Beside promises, only what Node makes for writing the response (res.end): its tick every
  // time, now and then the socket's keep-alive timer. Any HTTP server pays these. And the access
  // lines' writes: one fs.write per batch of at least 4 KB of lines (log/fd-writer.ts), never one a line.
  const others = perRequest((site) => !site.startsWith('PROMISE '));
  assert.equal(others['TickObject sendJson (rest/respond.ts)'], 1, JSON.stringify(others));
  const rest = Object.entries(others).filter(([site]) => site !== 'TickObject sendJson (rest/respond.ts)');
  const bounded = ([site, n]: [string, number]) =>
    (site.endsWith('sendJson (rest/respond.ts)') && n < 0.2) || (site.startsWith('FSREQCALLBACK ') && site.endsWith('(log/fd-writer.ts)') && n < 0.5);
  assert.ok(rest.every(bounded), JSON.stringify(others));
});
