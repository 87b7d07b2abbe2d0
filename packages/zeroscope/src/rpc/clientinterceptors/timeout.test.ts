import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createClient } from '../client.ts';
import { RpcServer } from '../server.ts';
import { EchoService, echoImplementation } from '../testdata/echo-service.ts';

test('the client Timeout (or a per-call timeoutMs) reaches the server as the call deadline', async (t) => {
  const deadlines: number[] = [];
  const echo = echoImplementation('echo');
  // Server Timeout 0: the handler sees only what came over the wire (grpc-timeout).
  const server = new RpcServer({ Name: 'echo', ListenOn: '127.0.0.1:0', Timeout: 0 }, { shutdownTimeoutMs: 200 });
  server.addService(EchoService, {
    ...echo,
    Say(request, call) {
      const deadline = call.getDeadline();
      deadlines.push(deadline instanceof Date ? deadline.getTime() - Date.now() : Number(deadline) - Date.now());
      return echo.Say(request, call);
    },
  });
  await server.start();
  t.after(() => server.stop());
  const client = createClient(EchoService, { Endpoints: [server.address ?? ''], Timeout: 1500 });
  t.after(() => client.close());
  await client.Say({ text: 'a' });
  await client.Say({ text: 'b' }, { timeoutMs: 400 });
  assert.equal(deadlines.length, 2);
  assert.ok(deadlines[0]! > 1000 && deadlines[0]! <= 1500, `config Timeout: ${deadlines[0]} ms left`);
  assert.ok(deadlines[1]! > 0 && deadlines[1]! <= 400, `per-call: ${deadlines[1]} ms left`);
});
