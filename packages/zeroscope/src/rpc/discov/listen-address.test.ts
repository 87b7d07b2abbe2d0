import assert from 'node:assert/strict';
import type { NetworkInterfaceInfo } from 'node:os';
import { test } from 'node:test';
import { reachableAddress } from './listen-address.ts';

const iface = (address: string, family: 'IPv4' | 'IPv6', internal: boolean) => ({ address, family, internal }) as NetworkInterfaceInfo;
const interfaces = {
  lo: [iface('127.0.0.1', 'IPv4', true), iface('::1', 'IPv6', true)],
  eth0: [iface('fe80::1', 'IPv6', false), iface('10.1.2.3', 'IPv4', false)],
};

test('reachableAddress keeps a concrete host, resolves a wildcard one (go-zero figureOutListenOn)', () => {
  assert.equal(reachableAddress('127.0.0.1:8080', {}, interfaces), '127.0.0.1:8080');
  assert.equal(reachableAddress('user-rpc.internal:8080', {}, interfaces), 'user-rpc.internal:8080');
  for (const listenOn of ['0.0.0.0:8080', ':8080', '[::]:8080']) {
    assert.equal(reachableAddress(listenOn, {}, interfaces), '10.1.2.3:8080', listenOn);
  }
  assert.equal(reachableAddress('0.0.0.0:8080', { POD_IP: '172.16.0.9' }, interfaces), '172.16.0.9:8080');
  assert.equal(reachableAddress('0.0.0.0:8080', {}, { lo: interfaces.lo }), '127.0.0.1:8080', 'no external IPv4');
});
