import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { grpcStatusCodeAttributes, rpcSpanInfo, splitHostPort } from './attributes.ts';
import { endpointUrl } from './endpoint.ts';
import { TRACE_ERROR_CODES } from './errors.ts';
import { tracer, VERSION } from './tracer.ts';

describe('attribute helpers', () => {
  it('rpcSpanInfo splits a gRPC full method', () => {
    assert.deepEqual(rpcSpanInfo('/user.User/GetUser'), {
      name: 'user.User/GetUser',
      attributes: { 'rpc.system': 'grpc', 'rpc.service': 'user.User', 'rpc.method': 'GetUser' },
    });
    assert.deepEqual(rpcSpanInfo('odd').attributes, { 'rpc.system': 'grpc' });
    assert.deepEqual(grpcStatusCodeAttributes(5), { 'rpc.grpc.status_code': 5 });
  });

  const hostPorts: [string, { host: string; port?: number }][] = [
    ['127.0.0.1:8080', { host: '127.0.0.1', port: 8080 }],
    ['localhost', { host: 'localhost' }],
    ['[::1]:50051', { host: '::1', port: 50051 }],
    ['::1', { host: '::1' }],
    ['host:', { host: 'host', port: undefined }],
  ];
  for (const [input, expected] of hostPorts) {
    it(`splitHostPort(${JSON.stringify(input)})`, () => assert.deepEqual(splitHostPort(input), expected));
  }
});

describe('endpointUrl', () => {
  it('adds scheme and default path to host:port, keeps a URL path', () => {
    assert.equal(endpointUrl('h:4318', { defaultPath: '/v1/traces', batcher: 'otlphttp' }).href, 'http://h:4318/v1/traces');
    assert.equal(endpointUrl('h:4318', { defaultPath: '/v1/traces', secure: true, batcher: 'otlphttp' }).href, 'https://h:4318/v1/traces');
    assert.equal(endpointUrl('http://h:4318/', { defaultPath: '/v1/traces', batcher: 'otlphttp' }).href, 'http://h:4318/v1/traces');
    assert.equal(endpointUrl('http://h:4318/x', { defaultPath: '/v1/traces', batcher: 'otlphttp' }).href, 'http://h:4318/x');
  });
});

describe('tracer', () => {
  it('VERSION matches package.json', () => {
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
    assert.equal(VERSION, pkg.version);
    assert.equal(typeof tracer().startSpan, 'function');
  });
});

describe('trace error codes', () => {
  it('are unique, prefixed and documented in src/conf/README.md', () => {
    const readme = readFileSync(new URL('../conf/README.md', import.meta.url), 'utf8');
    for (const code of Object.keys(TRACE_ERROR_CODES)) {
      assert.match(code, /^TRACE_ERR_[A-Z_]+$/);
      assert.ok(readme.includes(code), `${code} is documented`);
    }
  });
});
