import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { status } from '@grpc/grpc-js';
import { CONF_ERROR_CODES, ConfigError } from '../conf/errors.ts';
import { LOG_ERROR_CODES, LogError } from '../log/errors.ts';
import { METRICS_ERROR_CODES, MetricsError } from '../metrics/errors.ts';
import { HttpError, REST_ERROR_CODES } from '../rest/errors.ts';
import { RPC_ERROR_CODES, RpcConfigError, RpcError, RpcStatusError } from '../rpc/errors.ts';
import { SERVICE_ERROR_CODES, ServiceError } from '../service/errors.ts';
import { TRACE_ERROR_CODES, TraceError } from '../trace/errors.ts';
import { codedError } from './coded-error.ts';

/** One sample of every error class of the library, made from the first code of its registry. */
const samples: Array<[new (...args: never[]) => Error, Error & { code: string }]> = [
  [LogError, new LogError('LOG_ERR_PATH', 'm')],
  [TraceError, new TraceError('TRACE_ERR_BAD_ENDPOINT', 'm')],
  [MetricsError, new MetricsError('METRICS_ERR_LISTEN', 'm')],
  [ServiceError, new ServiceError('SERVICE_ERR_START', 'm')],
  [ConfigError, new ConfigError('CONF_ERR_PARSE', 'a.yaml', 'm')],
  [RpcError, new RpcError('RPC_ERR_NO_ENDPOINTS', status.UNAVAILABLE, 'm')],
  [RpcConfigError, new RpcConfigError('m')],
  [RpcStatusError, new RpcStatusError(status.NOT_FOUND, 'm')],
  [HttpError, new HttpError(404, 'm')],
];

describe('codedError (the library error-class factory)', () => {
  it('every package error is an Error and its own class, named after it, with no own cause when none was given', () => {
    for (const [Class, err] of samples) {
      assert.ok(err instanceof Error);
      assert.ok(err instanceof Class);
      assert.equal(err.name, Class.name);
      assert.equal(err.message.endsWith('m'), true);
      assert.equal(Object.hasOwn(err, 'cause'), false, `${Class.name} has no cause key`);
      assert.match(String(err.stack), new RegExp(`^${Class.name}: `));
    }
    assert.ok(new RpcStatusError(status.NOT_FOUND, 'm') instanceof RpcError, 'subclasses stay RpcErrors');
  });

  it('keeps the cause it is given', () => {
    const cause = new Error('root');
    for (const err of [new LogError('LOG_ERR_PATH', 'm', { cause }), new ConfigError('CONF_ERR_PARSE', 'f', 'm', { cause }), new HttpError(500, 'm', { cause })]) {
      assert.equal(err.cause, cause);
    }
  });

  it('codes are unique across the library and each carries its package prefix', () => {
    const registries: Array<[string, readonly string[]]> = [
      ['CONF_ERR_', Object.keys(CONF_ERROR_CODES)],
      ['LOG_ERR_', Object.keys(LOG_ERROR_CODES)],
      ['METRICS_ERR_', Object.keys(METRICS_ERROR_CODES)],
      ['REST_ERR_', Object.values(REST_ERROR_CODES)],
      ['RPC_ERR_', Object.keys(RPC_ERROR_CODES)],
      ['SERVICE_ERR_', Object.keys(SERVICE_ERROR_CODES)],
      ['TRACE_ERR_', Object.keys(TRACE_ERROR_CODES)],
    ];
    const all = registries.flatMap(([, codes]) => codes);
    assert.equal(new Set(all).size, all.length);
    for (const [prefix, codes] of registries) for (const code of codes) assert.ok(code.startsWith(prefix), code);
  });

  it('a class made with a registry is typed by it; the name is the one given, not the minified class name', () => {
    const Made = codedError('MadeError', { MADE_ERR_X: 'x' });
    const e = new (class x extends Made {})('MADE_ERR_X', 'boom');
    assert.equal(e.name, 'MadeError');
    assert.equal(e.code, 'MADE_ERR_X');
    // @ts-expect-error: a code outside the registry does not type-check
    assert.equal(new Made('OTHER', 'm').code, 'OTHER');
  });
});
