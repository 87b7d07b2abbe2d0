import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { z } from 'zod';
import { ConfigError, loadConfig, parseConfig, ServiceConfSchema } from './index.ts';

const dir = mkdtempSync(join(tmpdir(), 'zeroscope-conf-'));
after(() => rmSync(dir, { recursive: true, force: true }));

/** A schema extended the way rest's config extends ServiceConf. */
const RestLike = ServiceConfSchema.extend({ Host: z.string().default('0.0.0.0'), Port: z.number().int() });

function write(name: string, text: string): string {
  const file = join(dir, name);
  writeFileSync(file, text);
  return file;
}

function configError(fn: () => unknown): ConfigError {
  try {
    fn();
  } catch (err) {
    assert.ok(err instanceof ConfigError, `expected ConfigError, got ${String(err)}`);
    return err;
  }
  assert.fail('expected a ConfigError');
}

/** The defaults of the keys that carry what only the OTEL_* variables could say before. */
const NEW_KEY_DEFAULTS = {
  ParentBased: true,
  ResourceAttributes: {},
  Propagators: ['tracecontext', 'baggage'],
  OtlpHttpEncoding: 'protobuf',
  OtlpCompression: 'none',
  Instrument: { Http: true, Fetch: true },
  Pipeline: 'fast',
};

describe('loadConfig', () => {
  it('applies defaults, and Telemetry.Name defaults to the service Name', () => {
    const file = write('order.yaml', 'Name: order\nPort: 8888\nTelemetry:\n  Endpoint: 127.0.0.1:4318\n');
    const conf = loadConfig(file, RestLike, { env: {} });
    assert.equal(conf.Host, '0.0.0.0');
    assert.equal(conf.Mode, 'pro');
    assert.deepEqual(conf.Telemetry, {
      Name: 'order',
      Endpoint: '127.0.0.1:4318',
      Sampler: 1,
      Batcher: 'otlphttp',
      OtlpHeaders: {},
      OtlpHttpPath: '/v1/traces',
      OtlpHttpSecure: false,
      Disabled: false,
      ...NEW_KEY_DEFAULTS,
    });
  });

  it('reads JSON by extension', () => {
    const file = write('order.json', JSON.stringify({ Name: 'order', Port: 1 }));
    assert.equal(loadConfig(file, RestLike, { env: {} }).Port, 1);
  });

  it('substitutes ${VAR} and ${VAR:-default}, typing whole references by the schema', () => {
    const file = write(
      'env.yaml',
      'Name: ${SVC}\nPort: ${PORT}\nTelemetry:\n  Endpoint: ${HOST:-127.0.0.1}:4318\n  Disabled: ${OFF}\n  OtlpHttpPath: /a$${b}\n',
    );
    const conf = loadConfig(file, RestLike, { env: { SVC: '123', PORT: '9090', OFF: 'true' } });
    assert.equal(conf.Name, '123', 'a string field stays a string even when the value looks numeric');
    assert.equal(conf.Port, 9090);
    assert.equal(conf.Telemetry?.Endpoint, '127.0.0.1:4318');
    assert.equal(conf.Telemetry?.Disabled, true);
    assert.equal(conf.Telemetry?.OtlpHttpPath, '/a${b}');
  });

  it('an unset variable without default names file and key', () => {
    const file = write('unset.yaml', 'Name: order\nPort: 1\nTelemetry:\n  Endpoint: ${COLLECTOR}\n');
    const err = configError(() => loadConfig(file, RestLike, { env: {} }));
    assert.equal(err.code, 'CONF_ERR_ENV');
    assert.match(err.message, new RegExp(`^${escape(file)}: Telemetry.Endpoint: environment variable COLLECTOR is not set`));
  });

  it('OTEL_* variables fill only what the file leaves out', () => {
    const env = {
      OTEL_SERVICE_NAME: 'from-env',
      OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318',
      OTEL_EXPORTER_OTLP_HEADERS: 'authorization=Bearer%20t0k,x-tenant=a',
      OTEL_TRACES_SAMPLER_ARG: '0.25',
      OTEL_SDK_DISABLED: 'true',
    };
    const silent = loadConfig(write('silent.yaml', 'Name: order\nPort: 1\n'), RestLike, { env });
    assert.deepEqual(
      { ...silent.Telemetry },
      {
        Name: 'from-env',
        Endpoint: 'http://collector:4318',
        OtlpHeaders: { authorization: 'Bearer t0k', 'x-tenant': 'a' },
        Sampler: 0.25,
        Disabled: true,
        Batcher: 'otlphttp',
        OtlpHttpPath: '/v1/traces',
        OtlpHttpSecure: false,
        ...NEW_KEY_DEFAULTS,
      },
    );
    const file = write(
      'speaks.yaml',
      'Name: order\nPort: 1\nTelemetry:\n  Name: file-name\n  Endpoint: file:4318\n  Sampler: 0.5\n  Disabled: false\n  OtlpHeaders:\n    x-tenant: b\n',
    );
    const speaks = loadConfig(file, RestLike, { env });
    assert.equal(speaks.Telemetry?.Name, 'file-name');
    assert.equal(speaks.Telemetry?.Endpoint, 'file:4318');
    assert.equal(speaks.Telemetry?.Sampler, 0.5);
    assert.equal(speaks.Telemetry?.Disabled, false);
    assert.deepEqual(speaks.Telemetry?.OtlpHeaders, { authorization: 'Bearer t0k', 'x-tenant': 'b' });
  });

  it('OTEL_EXPORTER_OTLP_ENDPOINT with a path gets /v1/traces appended; the per-signal endpoint is used as is', () => {
    const base = loadConfig(write('b.yaml', 'Name: a\nPort: 1\n'), RestLike, { env: { OTEL_EXPORTER_OTLP_ENDPOINT: 'http://c:4318/otlp/' } });
    assert.equal(base.Telemetry?.Endpoint, 'http://c:4318');
    assert.equal(base.Telemetry?.OtlpHttpPath, '/otlp/v1/traces');
    const full = loadConfig(write('f.yaml', 'Name: a\nPort: 1\n'), RestLike, {
      env: { OTEL_EXPORTER_OTLP_ENDPOINT: 'http://ignored:1', OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'http://c:4318/custom' },
    });
    assert.equal(full.Telemetry?.Endpoint, 'http://c:4318/custom');
  });

  it('OTEL_TRACES_EXPORTER picks the Batcher; OTLP endpoint variables leave a zipkin/file Endpoint alone', () => {
    const grpc = parseConfig('Name: a\nPort: 1\n', 'g.yaml', RestLike, {
      env: { OTEL_TRACES_EXPORTER: 'otlp', OTEL_EXPORTER_OTLP_PROTOCOL: 'grpc', OTEL_EXPORTER_OTLP_ENDPOINT: 'http://c:4317' },
    });
    assert.equal(grpc.Telemetry?.Batcher, 'otlpgrpc');
    assert.equal(grpc.Telemetry?.Endpoint, 'http://c:4317');
    const zipkin = parseConfig('Name: a\nPort: 1\nTelemetry:\n  Batcher: zipkin\n', 'z.yaml', RestLike, { env: { OTEL_EXPORTER_OTLP_ENDPOINT: 'http://c:4318' } });
    assert.equal(zipkin.Telemetry?.Endpoint, undefined);
    // none: no exporter from the environment, but tracing (spans, propagation) stays on, as the spec says.
    const none = parseConfig('Name: a\nPort: 1\nTelemetry: {}\n', 'n.yaml', RestLike, { env: { OTEL_TRACES_EXPORTER: 'none', OTEL_EXPORTER_OTLP_ENDPOINT: 'http://c:4318' } });
    assert.equal(none.Telemetry?.Disabled, false);
    assert.equal(none.Telemetry?.Endpoint, undefined);
  });

  it('no Telemetry block and no OTEL_* variables: none is invented', () => {
    const conf = loadConfig(write('plain.yaml', 'Name: a\nPort: 1\n'), RestLike, { env: {} });
    assert.equal(conf.Telemetry, undefined);
  });

  const invalid: [string, string, RegExp][] = [
    ['bad type', 'Name: order\nPort: 1\nTelemetry:\n  Sampler: high\n', /: Telemetry\.Sampler: expected a number, got "high"$/m],
    ['unknown Batcher', 'Name: order\nPort: 1\nTelemetry:\n  Batcher: kafka\n', /: Telemetry\.Batcher: expected one of jaeger\|zipkin\|otlpgrpc\|otlphttp\|file\|console, got "kafka"$/m],
    ['missing Port', 'Name: order\n', /: Port: required \(expected a number\)$/m],
    ['unknown key', 'Name: order\nPort: 1\nFoo: 1\nTelemetry:\n  Endpiont: x\n', /: Foo: unknown key$/m],
    ['nested unknown key', 'Name: order\nPort: 1\nTelemetry:\n  Endpiont: x\n', /: Telemetry\.Endpiont: unknown key$/m],
    ['out of range', 'Name: order\nPort: 1\nTelemetry:\n  Sampler: 2\n', /: Telemetry\.Sampler: expected a number <= 1, got 2$/m],
    ['legacy Jaeger collector URL', 'Name: order\nPort: 1\nTelemetry:\n  Batcher: jaeger\n  Endpoint: http://jaeger:14268/api/traces\n', /: Telemetry\.Endpoint: "http:\/\/jaeger:14268\/api\/traces" is the legacy Thrift collector path \/api\/traces; Batcher jaeger sends OTLP\/HTTP, so point Endpoint at Jaeger's OTLP receiver \(e\.g\. jaeger:4318\)$/m],
    ['legacy Jaeger agent port', 'Name: order\nPort: 1\nTelemetry:\n  Batcher: jaeger\n  Endpoint: jaeger:6831\n', /: Telemetry\.Endpoint: "jaeger:6831" is the legacy agent \(UDP\); .*\(e\.g\. jaeger:4318\)$/m],
    ['bad path', 'Name: order\nPort: 1\nTelemetry:\n  OtlpHttpPath: v1/traces\n', /: Telemetry\.OtlpHttpPath: expected a string starting with "\/", got "v1\/traces"$/m],
    ['misspelt Instrument switch', 'Name: order\nPort: 1\nTelemetry:\n  Instrument:\n    Htpp: false\n', /: Telemetry\.Instrument\.Htpp: unknown key$/m],
    ['Instrument switch not a boolean', 'Name: order\nPort: 1\nTelemetry:\n  Instrument:\n    Fetch: "no"\n', /: Telemetry\.Instrument\.Fetch: expected a boolean \(true or false\), got "no"$/m],
    ['unknown propagator', 'Name: order\nPort: 1\nTelemetry:\n  Propagators: [tracecontext, xray]\n', /: Telemetry\.Propagators\[1\]: expected one of tracecontext\|baggage\|b3\|b3multi\|jaeger\|none, got "xray"$/m],
    ['none with others', 'Name: order\nPort: 1\nTelemetry:\n  Propagators: [none, b3]\n', /: Telemetry\.Propagators: none cannot be combined with other propagators, got a list$/m],
    ['client certificate without key', 'Name: order\nPort: 1\nTelemetry:\n  OtlpClientCertFile: c.pem\n', /: Telemetry\.OtlpClientKeyFile: required with the other client TLS file \(a certificate needs its key\)$/m],
    ['unknown encoding', 'Name: order\nPort: 1\nTelemetry:\n  OtlpHttpEncoding: xml\n', /: Telemetry\.OtlpHttpEncoding: expected one of protobuf\|json, got "xml"$/m],
    ['unknown pipeline', 'Name: order\nPort: 1\nTelemetry:\n  Pipeline: turbo\n', /: Telemetry\.Pipeline: expected one of fast\|sdk, got "turbo"$/m],
  ];
  for (const [label, text, expected] of invalid) {
    it(`invalid config (${label}) names file, key path and expectation`, () => {
      const file = write(`${label.replace(/ /g, '-')}.yaml`, text);
      const err = configError(() => loadConfig(file, RestLike, { env: {} }));
      assert.equal(err.code, 'CONF_ERR_INVALID');
      assert.match(err.message, expected);
      for (const line of err.message.split('\n')) assert.ok(line.startsWith(`${file}: `), line);
    });
  }

  it('reports every bad key at once', () => {
    const err = configError(() => parseConfig('Port: x\nFoo: 1\n', 'etc/order.yaml', RestLike, { env: {} }));
    assert.deepEqual(
      err.message.split('\n').sort(),
      ['etc/order.yaml: Foo: unknown key', 'etc/order.yaml: Name: required (expected a string)', 'etc/order.yaml: Port: expected a number, got "x"'],
    );
    assert.equal(err.issues.length, 3);
  });

  it('a bad value from an OTEL_* variable says where it came from', () => {
    const err = configError(() => parseConfig('Name: a\nPort: 1\n', 'a.yaml', RestLike, { env: { OTEL_TRACES_SAMPLER_ARG: 'lots' } }));
    assert.match(err.message, /^a\.yaml: Telemetry\.Sampler: expected a number, got "lots" \(from OTEL_TRACES_SAMPLER_ARG\)$/);
  });

  it('YAML syntax errors carry line:col', () => {
    const file = write('broken.yaml', 'Name: order\nTelemetry:\n  Endpoint: [a, b\nPort: 1\n');
    const err = configError(() => loadConfig(file, RestLike, { env: {} }));
    assert.equal(err.code, 'CONF_ERR_PARSE');
    assert.match(err.message, new RegExp(`^${escape(file)}:\\d+:\\d+: invalid YAML: `));
    const dup = configError(() => parseConfig('Name: a\nName: b\n', 'dup.yaml', RestLike, { env: {} }));
    assert.match(dup.message, /^dup\.yaml:2:1: invalid YAML: Map keys must be unique/);
  });

  it('YAML syntax errors name the line and column to fix, not the line the parser gave up on', () => {
    const cases: Array<[string, string, RegExp]> = [
      // A key indented deeper than its siblings: the parser blames the value on the line above.
      ['over-indented key', 'Name: order\nHost: 127.0.0.1\nPort: 8888\nTelemetry:\n  Name: order\n   Endpoint: 127.0.0.1:4318\n  Batcher: otlphttp\n', /^x\.yaml:6:4: invalid YAML: "Endpoint" is indented 3 spaces, deeper than the key on line 5 \(2\)/],
      ['over-indented top-level key', 'Name: order\n  Port: 8888\n', /^x\.yaml:2:3: invalid YAML: "Port" is indented 2 spaces/],
      ['under-indented key', 'Name: order\nTelemetry:\n  Name: order\n Endpoint: 127.0.0.1:4318\n', /^x\.yaml:4:1: invalid YAML: All mapping items must start at the same column/],
      ['unclosed flow sequence', 'Name: order\nTelemetry:\n  Endpoint: [a, b\nPort: 1\n', /^x\.yaml:3:13: invalid YAML: "\[" is never closed: end it with "\]"/],
      ['tab indentation', 'Name: order\n\tPort: 1\n', /^x\.yaml:2:1: invalid YAML: Tabs are not allowed as indentation/],
    ];
    for (const [name, text, expected] of cases) {
      const err = configError(() => parseConfig(text, 'x.yaml', RestLike, { env: {} }));
      assert.equal(err.code, 'CONF_ERR_PARSE', name);
      assert.match(err.message, expected, name);
    }
  });

  it('JSON syntax errors are CONF_ERR_PARSE', () => {
    const err = configError(() => parseConfig('{"Name": }', 'x.json', RestLike, { env: {} }));
    assert.equal(err.code, 'CONF_ERR_PARSE');
    assert.match(err.message, /^x\.json(:\d+:\d+)?: invalid JSON: /);
  });

  it('a missing file is CONF_ERR_NOT_FOUND, an unknown extension CONF_ERR_UNSUPPORTED_FORMAT', () => {
    const missing = configError(() => loadConfig(join(dir, 'nope.yaml'), RestLike));
    assert.equal(missing.code, 'CONF_ERR_NOT_FOUND');
    assert.match(missing.message, /nope\.yaml: config file not found$/);
    const toml = configError(() => parseConfig('', 'x.toml', RestLike));
    assert.equal(toml.code, 'CONF_ERR_UNSUPPORTED_FORMAT');
  });
});

function escape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
