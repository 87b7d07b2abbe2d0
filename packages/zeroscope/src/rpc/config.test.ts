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
    assert.equal(conf.CpuThreshold, 900);
    assert.deepEqual(conf.Middlewares, { Trace: true, Log: true, Metrics: true, Shedding: true, Recover: true, Timeout: true });
    assert.deepEqual(RpcServerConfSchema.parse({ ...conf, Middlewares: { Trace: false } }).Middlewares, {
      Trace: false,
      Log: true,
      Metrics: true,
      Shedding: true,
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
      Retry: true,
      Middlewares: { Trace: true, Duration: true, Metrics: true, Timeout: true, Breaker: true },
      Balancer: 'p2c',
    });
  });

  test('both Endpoints and Target: a clear error', () => {
    assert.throws(
      () => createClient(EchoService, { Endpoints: ['127.0.0.1:8080'], Target: 'dns:///user:8080' }),
      configError(/set exactly one of Endpoints, Etcd or Target \(Endpoints and Target are set\)/),
    );
  });

  test('neither Endpoints nor Target: a clear error', () => {
    assert.throws(() => createClient(EchoService, {}), configError(/set exactly one of Endpoints, Etcd or Target \(none is set\)/));
  });

  test('Etcd: instead of Endpoints, validated, no ID on a client', () => {
    const conf = RpcClientConfSchema.parse({ Etcd: { Hosts: ['127.0.0.1:2379', 'https://etcd:2379'], Key: 'user.rpc' }, Balancer: 'round_robin' });
    assert.deepEqual(conf.Etcd, { Hosts: ['127.0.0.1:2379', 'https://etcd:2379'], Key: 'user.rpc' });
    assert.equal(conf.Balancer, 'round_robin');
    const etcd = { Hosts: ['127.0.0.1:2379'], Key: 'user.rpc' };
    assert.throws(() => createClient(EchoService, { Endpoints: ['127.0.0.1:8080'], Etcd: etcd }), configError(/Etcd: set exactly one/));
    assert.throws(() => createClient(EchoService, { Etcd: { ...etcd, ID: 3 } }), configError(/Etcd\.ID: ID is for servers/));
    assert.throws(() => createClient(EchoService, { Etcd: { Hosts: ['nope'], Key: 'k' } }), configError(/Etcd\.Hosts\[0\]: expected host:port/));
    assert.throws(() => createClient(EchoService, { Etcd: etcd, Balancer: 'random' as never }), configError(/Balancer/));
  });

  test('a bad endpoint is named by its index', () => {
    assert.throws(
      () => createClient(EchoService, { Endpoints: ['127.0.0.1:8080', 'nope'] }),
      configError(/Endpoints\[1\]: expected host:port/),
    );
    assert.throws(() => createClient(EchoService, { Endpoints: [] }), configError(/Endpoints/));
  });
});
