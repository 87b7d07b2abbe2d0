// Test fixture (not part of the package's API): a RestServer on 127.0.0.1:0, stopped after the test.
import type { TestContext } from 'node:test';
import type { RestConfInput } from '../config.ts';
import type { RequestContext } from '../context.ts';
import { RestServer } from '../server.ts';

export interface TestServer {
  server: RestServer;
  /** `http://127.0.0.1:<port>` */
  url: string;
  /** Errors the server reported (instead of printing them). */
  errors: unknown[];
}

/** Builds a server, lets `setup` add routes, starts it and registers its stop with `t.after`. */
export async function startTestServer(
  t: TestContext,
  conf: Partial<RestConfInput>,
  setup: (server: RestServer) => void,
): Promise<TestServer> {
  const errors: unknown[] = [];
  const server = new RestServer(
    { Name: 'test-api', Host: '127.0.0.1', Port: 0, ...conf },
    { onError: (err: unknown, _ctx: RequestContext) => errors.push(err), stopTimeout: 2000 },
  );
  setup(server);
  await server.start();
  t.after(() => server.stop());
  return { server, url: `http://127.0.0.1:${server.port}`, errors };
}
