import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import { test } from 'node:test';
import { RpcError } from '../errors.ts';
import { RpcServer } from '../server.ts';
import { EchoService, echoImplementation } from '../testdata/echo-service.ts';

/** A port nothing listens on (bound, then released). */
function closedPort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

test('a server whose etcd is unreachable does not start (RPC_ERR_ETCD) and frees its port', async () => {
  const etcdPort = await closedPort();
  const server = new RpcServer(
    { Name: 'echo', ListenOn: '127.0.0.1:0', Etcd: { Hosts: [`127.0.0.1:${etcdPort}`], Key: 'echo.rpc' } },
    { shutdownTimeoutMs: 200, etcd: { startTimeoutMs: 800, log: () => {} } },
  );
  server.addService(EchoService, echoImplementation('echo'));
  await assert.rejects(server.start(), (err: unknown) => err instanceof RpcError && err.code === 'RPC_ERR_ETCD' && /echo\.rpc/.test(err.message));
  assert.equal(server.etcdKey, undefined);
  await server.stop(); // safe after a failed start
});
