import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { hostChecker, hostRefusal } from './host-check.ts';

describe('hostChecker', () => {
  it('on loopback answers IP literals, localhost names and the bound host, whatever the port', () => {
    const allowed = hostChecker({ bindHost: '127.0.0.1' })!;
    for (const host of ['127.0.0.1', '127.0.0.1:3200', 'localhost', 'LOCALHOST:4318', 'app.localhost:3200', '[::1]:3200', '[::1]', '10.1.2.3:80']) {
      assert.ok(allowed(host), host);
    }
    for (const host of [undefined, '', 'evil.example', 'evil.example:3200', 'localhost.evil.example', '127.0.0.1.nip.io']) {
      assert.ok(!allowed(host), String(host));
    }
  });

  it('adds the names (and name:port pairs) of --allowed-hosts', () => {
    const allowed = hostChecker({ bindHost: 'localhost', allowedHosts: ['zeroscope.test', 'other.test:1234'] })!;
    assert.ok(allowed('zeroscope.test:9999'));
    assert.ok(allowed('other.test:1234'));
    assert.ok(!allowed('other.test:80'));
    assert.ok(!allowed('evil.example'));
  });

  it('checks nothing when told to answer any host, or when bound beyond loopback (a token guards it)', () => {
    assert.equal(hostChecker({ bindHost: '127.0.0.1', allowedHosts: true }), undefined);
    assert.equal(hostChecker({ bindHost: '0.0.0.0' }), undefined);
  });

  it('says how to allow a refused host', () => {
    assert.match(hostRefusal('evil.example:3200'), /"evil\.example:3200".*--allowed-hosts evil\.example/);
  });
});
