import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { createClient } from './client.ts';
import { parseRpcConf, RpcClientConfSchema, RpcServerConfSchema } from './config.ts';
import { RpcConfigError } from './errors.ts';
import { RpcServer } from './server.ts';
import { EchoService } from './testdata/echo-service.ts';

const configError = (pattern: RegExp) => (err: unknown) =>
  err instanceof RpcConfigError && err.code === 'RPC_ERR_CONFIG' && pattern.test(err.message);

describe('RpcServerConfSchema', () => {
  test('fills go-zero defaults', () => {
    const conf = RpcServerConfSchema.parse({ Name: 'user.rpc', ListenOn: '127.0.0.1:8080' });
    assert.equal(conf.Timeout, 2000);
    assert.equal(conf.Mode, 'pro');
    assert.deepEqual(conf.Middlewares, { Trace: true, Recover: true, Timeout: true });
    assert.deepEqual(RpcServerConfSchema.parse({ ...conf, Middlewares: { Trace: false } }).Middlewares, {
      Trace: false,
      Recover: true,
      Timeout: true,
    });
  });

  const bad: Array<[string, unknown, RegExp]> = [
    ['missing ListenOn', { Name: 'x' }, /ListenOn/],
    ['ListenOn without port', { Name: 'x', ListenOn: 'localhost' }, /ListenOn: expected host:port/],
    ['port out of range', { Name: 'x', ListenOn: '0.0.0.0:70000' }, /ListenOn/],
    ['unknown key', { Name: 'x', ListenOn: ':8080', Etcd: {} }, /Etcd/],
    ['unknown middleware', { Name: 'x', ListenOn: ':8080', Middlewares: { Stat: true } }, /Middlewares/],
    ['negative Timeout', { Name: 'x', ListenOn: ':8080', Timeout: -1 }, /Timeout/],
  ];
  for (const [what, input, pattern] of bad) {
    test(`new RpcServer rejects ${what}`, () => {
      assert.throws(() => new RpcServer(input as never), configError(pattern));
    });
  }

  test('accepts :0, a bare :port and bracketed IPv6', () => {
    for (const ListenOn of ['127.0.0.1:0', ':8080', '[::1]:9000', '0.0.0.0:65535']) {
      assert.equal(parseRpcConf(RpcServerConfSchema, { Name: 'x', ListenOn }, 'rpc server').ListenOn, ListenOn);
    }
  });
});

describe('RpcClientConfSchema', () => {
  test('fills defaults', () => {
    const conf = RpcClientConfSchema.parse({ Endpoints: ['127.0.0.1:8080'] });
    assert.deepEqual(conf, {
      Endpoints: ['127.0.0.1:8080'],
      Timeout: 2000,
      NonBlock: true,
      Middlewares: { Trace: true, Timeout: true },
    });
  });

  test('both Endpoints and Target: a clear error', () => {
    assert.throws(
      () => createClient(EchoService, { Endpoints: ['127.0.0.1:8080'], Target: 'dns:///user:8080' }),
      configError(/set exactly one of Endpoints or Target \(both are set\)/),
    );
  });

  test('neither Endpoints nor Target: a clear error', () => {
    assert.throws(() => createClient(EchoService, {}), configError(/set exactly one of Endpoints or Target \(neither is set\)/));
  });

  test('a bad endpoint is named by its index', () => {
    assert.throws(
      () => createClient(EchoService, { Endpoints: ['127.0.0.1:8080', 'nope'] }),
      configError(/Endpoints\[1\]: expected host:port/),
    );
    assert.throws(() => createClient(EchoService, { Endpoints: [] }), configError(/Endpoints/));
  });
});
