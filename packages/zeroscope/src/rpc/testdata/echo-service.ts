/**
 * Test fixture of the rpc package: the `echo.Echo` service with a controllable implementation,
 * and helpers to start servers on 127.0.0.1:0 that tests stop afterwards.
 *
 * Say's `text` steers it: `throw` → the handler throws, `notfound` → NOT_FOUND,
 * `slow` → answers after 300ms; anything else is echoed, inside a child span `echo.work`.
 * Repeat streams `count` replies; with `throw` it fails after the first.
 */
import { fileURLToPath } from 'node:url';
import { trace } from '@opentelemetry/api';
import { status } from '@grpc/grpc-js';
import { RpcStatusError } from '../errors.ts';
import { RpcServer } from '../server.ts';
import { loadService, type ServiceImplementation } from '../service.ts';
import type { RpcServerConfInput } from '../config.ts';
import type { EchoDefinition, EchoHandlers } from './generated/echo/Echo.ts';

export const EchoService = loadService<EchoDefinition, EchoHandlers>(
  fileURLToPath(new URL('./echo.proto', import.meta.url)),
  'echo.Echo',
);

export function echoImplementation(server: string): ServiceImplementation<EchoHandlers> {
  return {
    async Say(request) {
      if (request.text === 'throw') throw new Error('boom');
      if (request.text === 'notfound') throw new RpcStatusError(status.NOT_FOUND, 'no such echo');
      if (request.text === 'slow') await new Promise((resolve) => setTimeout(resolve, 300));
      trace.getTracer('echo').startActiveSpan('echo.work', (span) => span.end());
      return { text: request.text, seq: 1, server };
    },
    async *Repeat(request) {
      for (let seq = 1; seq <= request.count; seq++) {
        if (request.text === 'throw' && seq === 2) throw new Error('stream boom');
        yield { text: request.text, seq, server };
      }
    },
  };
}

/** Starts an echo server named `name` (default ListenOn 127.0.0.1:0), stopped after test `t`. */
export async function startEcho(
  t: { after(fn: () => Promise<void>): void },
  name: string,
  conf: Partial<RpcServerConfInput> = {},
): Promise<RpcServer> {
  const server = new RpcServer({ Name: name, ListenOn: '127.0.0.1:0', ...conf }, { shutdownTimeoutMs: 500 });
  server.addService(EchoService, echoImplementation(name));
  await server.start();
  t.after(() => server.stop());
  return server;
}
