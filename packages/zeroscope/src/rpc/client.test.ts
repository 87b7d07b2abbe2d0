import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { status } from '@grpc/grpc-js';
import { installTestTracer } from '../trace/testing/index.ts';
import { createClient, dialClient } from './client.ts';
import { StaticEndpoints } from './endpoints.ts';
import { RpcError, RpcStatusError } from './errors.ts';
import { RpcServer } from './server.ts';
import { ATTR_SERVER_ADDRESS, ATTR_SERVER_PORT } from '../trace/index.ts';
import { EchoService, echoImplementation, startEcho } from './testdata/echo-service.ts';

const isCode = (code: string) => (err: unknown) => err instanceof RpcError && err.code === code;

describe('createClient', () => {
  test('Endpoints with round_robin: calls alternate between two servers, as the client spans show', async (t) => {
    const tracing = installTestTracer();
    t.after(() => tracing.shutdown());
    const a = await startEcho(t, 'a');
    const b = await startEcho(t, 'b');
    const client = createClient(EchoService, { Endpoints: [a.address ?? '', b.address ?? ''], Balancer: 'round_robin' });
    t.after(() => client.close());
    await client.ready();
    // Both channels dial at once; warm up until both have answered, then the rotation is strict.
    const seen = new Set<string>();
    for (let i = 0; i < 50 && seen.size < 2; i++) seen.add((await client.Say({ text: 'warm' })).server);
    assert.equal(seen.size, 2);

    tracing.reset();
    const servers: string[] = [];
    for (let i = 0; i < 4; i++) servers.push((await client.Say({ text: 'rr' })).server);
    assert.notEqual(servers[0], servers[1]);
    assert.deepEqual(servers.slice(2), servers.slice(0, 2));

    const ports = tracing
      .spans()
      .filter((s) => s.name === 'echo.Echo/Say' && s.kind === 2 /* CLIENT */)
      .map((s) => {
        assert.equal(s.attributes[ATTR_SERVER_ADDRESS], '127.0.0.1');
        return s.attributes[ATTR_SERVER_PORT];
      });
    const portOf = { a: a.port, b: b.port } as Record<string, number | undefined>;
    assert.deepEqual(ports, servers.map((name) => portOf[name]));
  });

  test('a server restarted on the same port is used again', async (t) => {
    const first = await startEcho(t, 'first');
    const port = first.port;
    const client = createClient(EchoService, { Endpoints: [`127.0.0.1:${port}`], Timeout: 5000 });
    t.after(() => client.close());
    assert.equal((await client.Say({ text: 'x' })).server, 'first');

    await first.stop();
    await assert.rejects(client.Say({ text: 'x' }, { timeoutMs: 300 }), (err: unknown) => err instanceof RpcStatusError);

    await startEcho(t, 'second', { ListenOn: `127.0.0.1:${port}` });
    assert.equal((await client.Say({ text: 'x' })).server, 'second');
  });

  test('the EndpointSource can change the list at run time', async (t) => {
    const a = await startEcho(t, 'a');
    const b = await startEcho(t, 'b');
    const endpoints = new StaticEndpoints([a.address ?? '']);
    const client = createClient(EchoService, { Endpoints: ['127.0.0.1:1'] }, { endpoints });
    t.after(() => client.close());
    assert.equal((await client.Say({ text: 'x' })).server, 'a');
    endpoints.update([b.address ?? '']);
    assert.equal((await client.Say({ text: 'x' })).server, 'b');
    endpoints.update([]);
    await assert.rejects(client.Say({ text: 'x' }), isCode('RPC_ERR_NO_ENDPOINTS'));
    await assert.rejects(async () => {
      for await (const _ of client.Repeat({ text: 'x', count: 1 })) assert.fail('no message expected');
    }, isCode('RPC_ERR_NO_ENDPOINTS'));
  });

  test('Target is dialled through grpc-js name resolution', async (t) => {
    const server = await startEcho(t, 'target');
    const client = createClient(EchoService, { Target: `dns:///127.0.0.1:${server.port}` });
    t.after(() => client.close());
    assert.equal((await client.Say({ text: 'x' })).server, 'target');
  });

  test('per-call timeoutMs overrides Timeout; a call past it is DEADLINE_EXCEEDED', async (t) => {
    const server = await startEcho(t, 'slow', { Timeout: 0 });
    const client = createClient(EchoService, { Endpoints: [server.address ?? ''], Timeout: 5000 });
    t.after(() => client.close());
    await assert.rejects(
      client.Say({ text: 'slow' }, { timeoutMs: 50 }),
      (err: unknown) => err instanceof RpcStatusError && err.grpcCode === status.DEADLINE_EXCEEDED,
    );
  });

  test('breaking out of a stream cancels the call; cancel() ends it with CANCELLED', async (t) => {
    const server = await startEcho(t, 's');
    const client = createClient(EchoService, { Endpoints: [server.address ?? ''] });
    t.after(() => client.close());
    for await (const message of client.Repeat({ text: 'x', count: 1000 })) {
      assert.equal(message.seq, 1);
      break;
    }
    const stream = client.Repeat({ text: 'x', count: 1000 });
    await assert.rejects(async () => {
      for await (const _ of stream) stream.cancel();
    }, (err: unknown) => err instanceof RpcStatusError && err.grpcCode === status.CANCELLED);
    assert.equal((await client.Say({ text: 'after' })).text, 'after');
  });

  test('a closed client rejects calls', async () => {
    const client = createClient(EchoService, { Endpoints: ['127.0.0.1:1'] });
    client.close();
    await assert.rejects(client.Say({ text: 'x' }), isCode('RPC_ERR_CLIENT_CLOSED'));
  });

  test('dialClient with NonBlock: false fails when nothing becomes READY', async () => {
    // Grab a free port, then free it again, so nothing listens there.
    const probe = new RpcServer({ Name: 'probe', ListenOn: '127.0.0.1:0' });
    probe.addService(EchoService, echoImplementation('probe'));
    await probe.start();
    const port = probe.port;
    await probe.stop();
    await assert.rejects(
      dialClient(EchoService, { Endpoints: [`127.0.0.1:${port}`], NonBlock: false, Timeout: 200 }),
      isCode('RPC_ERR_NOT_READY'),
    );
  });

  test('dialClient with NonBlock: false resolves once a server is READY', async (t) => {
    const server = await startEcho(t, 'ready');
    const client = await dialClient(EchoService, { Endpoints: [server.address ?? ''], NonBlock: false });
    t.after(() => client.close());
    assert.equal((await client.Say({ text: 'x' })).server, 'ready');
  });
});
