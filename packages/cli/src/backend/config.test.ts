import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { BackendConfigError, DEFAULT_PORTS, parseRetention, parseSize, resolveBackendConfig } from './config.ts';

describe('resolveBackendConfig', () => {
  it('defaults to 127.0.0.1, the usual ports, ./.zeroscope and 7 days', () => {
    const config = resolveBackendConfig({}, {}, '/srv/app');
    assert.equal(config.host, '127.0.0.1');
    assert.deepEqual(config.ports, DEFAULT_PORTS);
    assert.deepEqual(DEFAULT_PORTS, { otlpHttp: 4318, otlpGrpc: 4317, zipkin: 9411, query: 3200 });
    assert.equal(config.dataDir, '/srv/app/.zeroscope');
    assert.equal(config.retentionMs, 7 * 86_400_000);
  });

  it('reads ZEROSCOPE_* and lets explicit settings win', () => {
    const env = {
      ZEROSCOPE_DATA_DIR: '/var/zs',
      ZEROSCOPE_HOST: '::1',
      ZEROSCOPE_OTLP_HTTP_PORT: '14318',
      ZEROSCOPE_OTLP_GRPC_PORT: '14317',
      ZEROSCOPE_ZIPKIN_PORT: '19411',
      ZEROSCOPE_QUERY_PORT: '13200',
      ZEROSCOPE_RETENTION: '2d12h',
    };
    const fromEnv = resolveBackendConfig({}, env, '/x');
    assert.equal(fromEnv.dataDir, '/var/zs');
    assert.equal(fromEnv.host, '::1');
    assert.deepEqual(fromEnv.ports, { otlpHttp: 14318, otlpGrpc: 14317, zipkin: 19411, query: 13200 });
    assert.equal(fromEnv.retentionMs, 60 * 3_600_000);
    const flagged = resolveBackendConfig({ queryPort: '0', dataDir: 'rel' }, env, '/x');
    assert.equal(flagged.ports.query, 0);
    assert.equal(flagged.dataDir, '/x/rel');
  });

  it('names the setting in errors', () => {
    assert.throws(
      () => resolveBackendConfig({}, { ZEROSCOPE_ZIPKIN_PORT: '70000' }),
      (e: unknown) => e instanceof BackendConfigError && e.setting === 'ZEROSCOPE_ZIPKIN_PORT' && /0-65535/.test(e.message),
    );
    assert.throws(() => resolveBackendConfig({ host: ' ' }, {}), /must not be empty/);
  });
});

describe('parseRetention', () => {
  it('takes Go durations plus days and weeks', () => {
    assert.equal(parseRetention('90m'), 90 * 60_000);
    assert.equal(parseRetention('1w'), 7 * 86_400_000);
    assert.equal(parseRetention('1.5h'), 90 * 60_000);
  });
  it('refuses nonsense and tiny values', () => {
    assert.throws(() => parseRetention('soon'), /invalid duration "soon"/);
    assert.throws(() => parseRetention('10ms'), /at least 1s/);
  });
});

describe('--min-free-disk and --allowed-hosts', () => {
  it('parses sizes with binary and decimal units, and 0', () => {
    assert.equal(parseSize('64MiB', 'x'), 64 * 1024 * 1024);
    assert.equal(parseSize('500MB', 'x'), 500e6);
    assert.equal(parseSize('1.5 GiB', 'x'), 1.5 * 1024 ** 3);
    assert.equal(parseSize('0', 'x'), 0);
    assert.throws(() => parseSize('lots', '--min-free-disk'), /--min-free-disk: "lots" is not a size/);
    assert.throws(() => parseSize('5 parsecs', 'x'), BackendConfigError);
  });

  it('reads both from flags or ZEROSCOPE_* variables', () => {
    const config = resolveBackendConfig({ minFreeDisk: '8MiB', allowedHosts: 'Zeroscope.test, box:3200' }, {});
    assert.equal(config.minFreeDiskBytes, 8 * 1024 * 1024);
    assert.deepEqual(config.allowedHosts, ['zeroscope.test', 'box:3200']);
    assert.equal(resolveBackendConfig({}, { ZEROSCOPE_ALLOWED_HOSTS: '*' }).allowedHosts, true);
    assert.equal(resolveBackendConfig({}, {}).minFreeDiskBytes, undefined, 'the default is sized for the disk at start');
    assert.throws(() => resolveBackendConfig({ allowedHosts: 'http://x/' }, {}), /not a host name/);
  });
});
