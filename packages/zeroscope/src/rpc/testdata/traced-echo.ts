/**
 * Suite fixture of the tracing interceptor tests: a test tracer and one echo server for the whole
 * `describe`, spans forgotten before each test, and the server, clients and tracer closed after.
 */
import { after, before, beforeEach } from 'node:test';
import { installTestTracer, type TestTracer } from '../../trace/testing/index.ts';
import { createClient, type RpcClient } from '../client.ts';
import type { RpcClientConfInput } from '../config.ts';
import type { RpcServer } from '../server.ts';
import type { EchoDefinition, EchoHandlers } from './generated/echo/Echo.ts';
import { EchoService, startEcho } from './echo-service.ts';

/** What {@link tracedEchoSuite} gives the suite (valid once its `before` hook ran). */
export interface TracedEcho {
  readonly tracing: TestTracer;
  readonly server: RpcServer;
  /** A client of the suite's server, closed after the suite. */
  client(conf?: Omit<RpcClientConfInput, 'Endpoints'>): RpcClient<EchoDefinition, EchoHandlers>;
}

/** Registers the hooks in the calling `describe`; call it at the top of the suite. */
export function tracedEchoSuite(): TracedEcho {
  let tracing: TestTracer | undefined;
  let server: RpcServer | undefined;
  const hooks: Array<() => Promise<void>> = [];
  before(async () => {
    tracing = installTestTracer();
    server = await startEcho({ after: (fn) => hooks.push(fn) }, 'srv');
  });
  after(async () => {
    for (const hook of hooks) await hook();
    await tracing?.shutdown();
  });
  beforeEach(() => tracing?.reset());
  return {
    get tracing() {
      if (!tracing) throw new Error('tracedEchoSuite: used before its before() hook ran');
      return tracing;
    },
    get server() {
      if (!server) throw new Error('tracedEchoSuite: used before its before() hook ran');
      return server;
    },
    client(conf = {}) {
      const c = createClient(EchoService, { ...conf, Endpoints: [this.server.address ?? ''] });
      hooks.push(async () => c.close());
      return c;
    },
  };
}
