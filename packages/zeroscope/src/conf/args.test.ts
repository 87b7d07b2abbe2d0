import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ConfigError, configFileFromArgs } from './index.ts';

describe('configFileFromArgs', () => {
  it('accepts the forms Go flag accepts', () => {
    assert.equal(configFileFromArgs(['node', 'main.ts', '-f', 'etc/a.yaml']), 'etc/a.yaml');
    assert.equal(configFileFromArgs(['-f=etc/b.yaml']), 'etc/b.yaml');
    assert.equal(configFileFromArgs(['--f', 'etc/c.yaml']), 'etc/c.yaml');
    assert.equal(configFileFromArgs(['--f=etc/d.yaml']), 'etc/d.yaml');
  });

  it('falls back, or fails with CONF_ERR_ARGS', () => {
    assert.equal(configFileFromArgs(['node', 'main.ts'], 'etc/order.yaml'), 'etc/order.yaml');
    assert.throws(() => configFileFromArgs([]), (e: unknown) => e instanceof ConfigError && e.code === 'CONF_ERR_ARGS');
    assert.throws(() => configFileFromArgs(['-f'], 'x.yaml'), (e: unknown) => e instanceof ConfigError && e.code === 'CONF_ERR_ARGS');
    assert.throws(() => configFileFromArgs(['-f', '--verbose'], 'x.yaml'), /needs a config file/);
  });
});
