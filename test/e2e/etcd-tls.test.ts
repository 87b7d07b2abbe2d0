/**
 * etcd over TLS with client certificates (go-zero's `CertFile`, `CertKeyFile`, `CACertFile`): a
 * real etcd whose client port speaks only TLS and demands a certificate; a server registers
 * through it and a client finds and calls the server. Without the files the server cannot
 * register; bad TLS settings are config errors naming the key.
 */
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { createClient } from '../../packages/zeroscope/src/rpc/client.ts';
import { RpcClientConfSchema } from '../../packages/zeroscope/src/rpc/config.ts';
import { RpcConfigError, RpcError } from '../../packages/zeroscope/src/rpc/errors.ts';
import { RpcServer } from '../../packages/zeroscope/src/rpc/server.ts';
import { EchoService, echoImplementation } from '../../packages/zeroscope/src/rpc/testdata/echo-service.ts';
import { type EtcdServer, startEtcd } from './etcd-harness.ts';

const pki = (name: string) => fileURLToPath(new URL(`../../packages/zeroscope/src/trace/testdata/tls/${name}`, import.meta.url));
const KEY = 'echo-tls.rpc';

describe('etcd over TLS with client certificates', () => {
  let etcd: EtcdServer;
  const tlsKeys = { CACertFile: pki('ca.pem'), CertFile: pki('client.pem'), CertKeyFile: pki('client.key') };

  before(async () => {
    etcd = await startEtcd({ tls: { certFile: pki('server.pem'), keyFile: pki('server.key'), caFile: pki('ca.pem'), clientCertFile: pki('client.pem'), clientKeyFile: pki('client.key') } });
  });
  after(() => etcd?.close());

  it('a server registers through it, and a client finds the server and calls it', async (t) => {
    const server = new RpcServer({ Name: 'echo', ListenOn: '127.0.0.1:0', Etcd: { Hosts: [etcd.host], Key: KEY, ...tlsKeys } }, { shutdownTimeoutMs: 200 });
    server.addService(EchoService, echoImplementation('tls'));
    await server.start();
    t.after(() => server.stop());
    assert.deepEqual(await etcd.registered(KEY), [server.address]);

    const client = createClient(EchoService, { Etcd: { Hosts: [etcd.host], Key: KEY, ...tlsKeys }, Timeout: 5000 });
    t.after(() => client.close());
    assert.equal((await client.Say({ text: 'over tls' })).server, 'tls');
  });

  it('without the TLS files a server cannot register (etcd speaks only TLS)', async () => {
    const server = new RpcServer({ Name: 'echo', ListenOn: '127.0.0.1:0', Etcd: { Hosts: [etcd.host], Key: 'plain.rpc' } }, { shutdownTimeoutMs: 200, etcd: { startTimeoutMs: 1500, log: () => {} } });
    server.addService(EchoService, echoImplementation('plain'));
    await assert.rejects(server.start(), (err: unknown) => err instanceof RpcError && err.code === 'RPC_ERR_ETCD');
    await server.stop();
  });

  it('bad TLS settings are config errors that name the key', () => {
    const etcdWith = (extra: Record<string, unknown>) => ({ Etcd: { Hosts: [etcd.host], Key: KEY, ...extra } });
    const message = (fn: () => unknown): string => {
      try {
        fn();
      } catch (err) {
        assert.ok(err instanceof RpcConfigError, String(err));
        return err.message;
      }
      assert.fail('no error');
    };
    assert.match(message(() => createClient(EchoService, etcdWith({ ...tlsKeys, CACertFile: '/nonexistent/ca.pem' }))), /Etcd\.CACertFile: cannot read "\/nonexistent\/ca\.pem"/);
    assert.throws(() => RpcClientConfSchema.parse(etcdWith({ CACertFile: pki('ca.pem'), CertFile: pki('client.pem') })), /CertFile and CertKeyFile go together/);
    assert.throws(() => RpcClientConfSchema.parse(etcdWith({ CertFile: pki('client.pem'), CertKeyFile: pki('client.key') })), /CACertFile[\s\S]*required with CertFile/);
    assert.throws(() => RpcClientConfSchema.parse(etcdWith({ ...tlsKeys, InsecureSkipVerify: true })), /InsecureSkipVerify[\s\S]*not supported/);
  });
});
