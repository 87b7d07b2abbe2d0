import assert from 'node:assert/strict';
import { createServer, type Server as NetServer } from 'node:net';
import { after, describe, it } from 'node:test';
import { RestServer } from '../rest/index.ts';
import { RpcServer } from '../rpc/index.ts';
import { runGroup, ServiceError, ServiceGroup } from './index.ts';

/** Holds a loopback port the way another process would. */
async function takePort(): Promise<{ port: number; server: NetServer }> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  after(() => server.close());
  return { port: (server.address() as { port: number }).port, server };
}

describe('a port already in use', () => {
  it('rest: start() rejects with SERVICE_ERR_LISTEN naming the address, Host/Port and the reason', async () => {
    const { port } = await takePort();
    const server = new RestServer({ Name: 'order', Host: '127.0.0.1', Port: port });
    await assert.rejects(server.start(), (err: unknown) => {
      assert.ok(err instanceof ServiceError);
      assert.equal(err.code, 'SERVICE_ERR_LISTEN');
      assert.equal(
        err.message,
        `cannot listen on 127.0.0.1:${port} (Host, Port): address already in use (EADDRINUSE): another process is listening there; stop it or choose another port with Port`,
      );
      return true;
    });
    await server.stop();
  });

  it('rpc: start() rejects with RPC_ERR_BIND naming the address and ListenOn', async () => {
    const { port } = await takePort();
    const server = new RpcServer({ Name: 'user.rpc', ListenOn: `127.0.0.1:${port}` });
    await assert.rejects(server.start(), (err: unknown) => {
      assert.equal((err as { code?: string }).code, 'RPC_ERR_BIND');
      assert.match((err as Error).message, new RegExp(`^cannot listen on 127\\.0\\.0\\.1:${port} \\(ListenOn\\): address already in use \\(EADDRINUSE\\).*with ListenOn$`));
      return true;
    });
  });

  it('runGroup: prints the reason without a stack and exits 1', async () => {
    const { port } = await takePort();
    const server = new RestServer({ Name: 'order', Host: '127.0.0.1', Port: port });
    let printed = '';
    const exits: number[] = [];
    await assert.rejects(
      runGroup(new ServiceGroup().add(server), { exit: (code) => void exits.push(code), stderr: (text) => (printed += text), signals: [] }),
    );
    assert.deepEqual(exits, [1]);
    assert.equal(
      printed,
      `error: could not start [SERVICE_ERR_LISTEN]\ncannot listen on 127.0.0.1:${port} (Host, Port): address already in use (EADDRINUSE): another process is listening there; stop it or choose another port with Port\n`,
    );
  });
});
