import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { status } from '@grpc/grpc-js';
import { LogSchema, setUpLogging } from '../log/index.ts';
import { captureLines } from '../log/testing/index.ts';
import { createClient } from './client.ts';
import { RpcError, RpcStatusError } from './errors.ts';
import { RpcServer } from './server.ts';
import { EchoService, echoImplementation, startEcho } from './testdata/echo-service.ts';

// node --test runs each file in its own process, so this file owns the process logger.
const sink = captureLines();
setUpLogging(LogSchema.parse({}), { serviceName: 'echo', destination: sink.stream });

/** Calls `fn`, expecting a rejection with an RpcStatusError; returns it. */
async function statusOf(fn: () => Promise<unknown>): Promise<RpcStatusError> {
  try {
    await fn();
  } catch (err) {
    assert.ok(err instanceof RpcStatusError, `expected RpcStatusError, got ${String(err)}`);
    return err;
  }
  assert.fail('call succeeded');
}

describe('RpcServer', () => {
  test('serves unary and server-streaming calls on an ephemeral port', async (t) => {
    const server = await startEcho(t, 'one');
    assert.ok(server.port !== undefined && server.port > 0);
    assert.equal(server.address, `127.0.0.1:${server.port}`);
    const client = createClient(EchoService, { Endpoints: [server.address] });
    t.after(() => client.close());

    const reply = await client.Say({ text: 'hi' });
    assert.deepEqual(reply, { text: 'hi', seq: 1, server: 'one' });

    const seqs: number[] = [];
    for await (const message of client.Repeat({ text: 'x', count: 3 })) seqs.push(message.seq);
    assert.deepEqual(seqs, [1, 2, 3]);
  });

  test('a status error thrown by a handler reaches the caller with its code', async (t) => {
    const server = await startEcho(t, 'two');
    const client = createClient(EchoService, { Endpoints: [server.address ?? ''] });
    t.after(() => client.close());
    const err = await statusOf(() => client.Say({ text: 'notfound' }));
    assert.equal(err.grpcCode, status.NOT_FOUND);
    assert.equal(err.details, 'no such echo');
  });

  test('a status whose details echo hostile input (line breaks, control and non-ASCII characters) reaches the caller intact; the server keeps serving', async (t) => {
    const server = new RpcServer({ Name: 'hostile', ListenOn: '127.0.0.1:0' }, { shutdownTimeoutMs: 500 });
    server.addService(EchoService, {
      async Say(request) {
        if (request.text.startsWith('bad')) throw new RpcStatusError(status.INVALID_ARGUMENT, `rejected: ${request.text}`);
        return { text: request.text, seq: 1, server: 'hostile' };
      },
      async *Repeat() {},
    });
    await server.start();
    t.after(() => server.stop());
    const client = createClient(EchoService, { Endpoints: [server.address ?? ''] });
    t.after(() => client.close());
    for (const text of ['bad\r\nLocation: http://evil', 'bad \u0000\u0007 %41 é😀中', `bad ${'x'.repeat(20_000)}`]) {
      const err = await statusOf(() => client.Say({ text }));
      assert.equal(err.grpcCode, status.INVALID_ARGUMENT);
      assert.equal(err.details, `rejected: ${text}`);
    }
    assert.deepEqual(await client.Say({ text: 'still up' }), { text: 'still up', seq: 1, server: 'hostile' });
  });

  test('Recover: a throwing handler answers INTERNAL and the server keeps serving', async (t) => {
    sink.reset();
    const server = await startEcho(t, 'three');
    const client = createClient(EchoService, { Endpoints: [server.address ?? ''] });
    t.after(() => client.close());

    const unary = await statusOf(() => client.Say({ text: 'throw' }));
    assert.equal(unary.grpcCode, status.INTERNAL);
    assert.equal(unary.details, 'boom');

    const received: number[] = [];
    const streamErr = await statusOf(async () => {
      for await (const message of client.Repeat({ text: 'throw', count: 3 })) received.push(message.seq);
    });
    assert.equal(streamErr.grpcCode, status.INTERNAL);
    assert.deepEqual(received, [1]);
    // Recover's own lines on the process logger (the Log interceptor writes access lines beside them).
    const recovered = sink.lines().filter((line) => line.level === 'error' && /handler failed$/.test(line.msg ?? ''));
    assert.deepEqual(
      recovered.map((line) => [line.msg, (line.err as { message?: string } | undefined)?.message]),
      [
        ['rpc echo.Echo/Say: handler failed', 'boom'],
        ['rpc echo.Echo/Repeat: handler failed', 'stream boom'],
      ],
    );

    assert.equal((await client.Say({ text: 'still here' })).text, 'still here');
  });

  test('without Recover an unexpected error is UNKNOWN and its message is not leaked', async (t) => {
    const server = await startEcho(t, 'four', { Middlewares: { Recover: false } });
    const client = createClient(EchoService, { Endpoints: [server.address ?? ''] });
    t.after(() => client.close());
    const err = await statusOf(() => client.Say({ text: 'throw' }));
    assert.equal(err.grpcCode, status.UNKNOWN);
    assert.doesNotMatch(err.details, /boom/);
  });

  test('Timeout: a unary handler running past the server Timeout answers DEADLINE_EXCEEDED', async (t) => {
    const server = await startEcho(t, 'five', { Timeout: 50 });
    const client = createClient(EchoService, { Endpoints: [server.address ?? ''], Timeout: 5000 });
    t.after(() => client.close());
    const err = await statusOf(() => client.Say({ text: 'slow' }));
    assert.equal(err.grpcCode, status.DEADLINE_EXCEEDED);
    assert.match(err.details, /server timeout/);
  });

  test('lifecycle: start twice fails, addService after start fails, stop is idempotent', async (t) => {
    const server = await startEcho(t, 'six');
    await assert.rejects(server.start(), (err: unknown) => err instanceof RpcError && err.code === 'RPC_ERR_SERVER_STATE');
    assert.throws(
      () => server.addService(EchoService, echoImplementation('x')),
      (err: unknown) => err instanceof RpcError && err.code === 'RPC_ERR_SERVER_STATE',
    );
    await server.stop();
    await server.stop();
  });

  test('a port already in use fails start() with RPC_ERR_BIND', async (t) => {
    const first = await startEcho(t, 'seven');
    const second = new RpcServer({ Name: 'eight', ListenOn: `127.0.0.1:${first.port}` });
    await assert.rejects(second.start(), (err: unknown) => err instanceof RpcError && err.code === 'RPC_ERR_BIND');
  });
});
