import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { API_ERROR_CODES, API_ERRORS, ApiError, BadParamError } from '../backend/api/errors.ts';
import { BackendConfigError } from '../backend/config.ts';
import { GENERATOR_ERROR_CODES, GeneratorConfigError } from '../backend/generator/errors.ts';
import { GUARD_ERROR_CODES, GuardError, OverloadedError } from '../backend/guard/errors.ts';
import { LOG_STORE_ERROR_CODES, LogStoreError } from '../backend/logstore/errors.ts';
import { OtlpDecodeError, otlpErrorClasses } from '../backend/otlp/errors.ts';
import { TRACEQL_ERROR_CODES, TraceQLError, TraceQLValidationError } from '../backend/query/errors.ts';
import { RECEIVER_ERROR_CODES, receiverErrorClasses, BodyTooLargeError, PushRejectedError } from '../backend/receivers/errors.ts';
import { STORE_ERROR_CODES, StoreError } from '../backend/store/errors.ts';
import { CLI_ERROR_CODES, CliError, CliRunError, CliUsageError } from '../cli/errors.ts';
import { ApiStatusError, UiError, UiErrorCodes } from '../ui/errors.ts';
import { codedError } from './coded-error.ts';

describe('codedError (the CLI package error-class factory)', () => {
  it('names an error after its class unless a name is given, and copies the answer of its code onto it', () => {
    class PlainError extends codedError<'X_ERR_A' | 'X_ERR_B', { status: number }>({ answer: (code) => ({ status: code === 'X_ERR_A' ? 400 : 503 }) }) {}
    const a = new PlainError('X_ERR_A', 'bad');
    assert.ok(a instanceof PlainError && a instanceof Error);
    assert.equal(a.name, 'PlainError');
    assert.equal(a.code, 'X_ERR_A');
    assert.equal(a.status, 400);
    assert.equal(new PlainError('X_ERR_B', 'busy').status, 503);
    assert.equal(Object.hasOwn(a, 'cause'), false, 'no cause key when none was given');
    const cause = new Error('root');
    assert.equal(new PlainError('X_ERR_A', 'm', { cause }).cause, cause);
    const Named = codedError({ name: 'KeptName' });
    assert.equal(new (class y extends Named {})('X', 'm').name, 'KeptName', 'a given name survives minified class names');
  });

  it('every error of the package is made by it: named after its class, with its answer from the registry', () => {
    const samples: Array<Error & { code: string }> = [
      new StoreError('STORE_ERR_CLOSED', 'm'),
      new LogStoreError('LOGSTORE_ERR_CLOSED', 'm'),
      new BadParamError('m'),
      new TraceQLValidationError('m'),
      new OverloadedError('busy', 2),
      new BodyTooLargeError(1),
      new PushRejectedError('m', { httpStatus: 503 }),
      new GeneratorConfigError('m'),
      new BackendConfigError('--port', 'm'),
      new CliUsageError('up', 'm'),
      new CliRunError('m'),
      new ApiStatusError('/api/x', 404, 'gone'),
      new otlpErrorClasses[0]('json', 'm'),
      new otlpErrorClasses[1]('m'),
    ];
    for (const err of samples) {
      assert.equal(err.name, err.constructor.name);
      assert.equal(Object.hasOwn(err, 'cause'), false, err.name);
    }
    assert.equal((samples[0] as StoreError).status, 503);
    assert.equal((samples[1] as LogStoreError).httpStatus, 503);
    assert.ok(samples[2] instanceof ApiError && samples[2].status === 400);
    assert.ok(samples[3] instanceof TraceQLError && samples[3].status === 400);
    assert.ok(samples[4] instanceof GuardError && samples[4].httpStatus === 503 && samples[4].grpcCode === 14);
    assert.equal((samples[4] as OverloadedError).retryAfterSeconds, 2);
    assert.ok(samples[9] instanceof CliError && samples[9].exitCode === 2);
    assert.ok(samples[11] instanceof UiError && (samples[11] as UiError).code === UiErrorCodes.API_STATUS);
    assert.ok(samples[12] instanceof OtlpDecodeError && samples[12].httpStatus === 400 && samples[12].grpcCode === 3);
  });

  it('codes are unique across the package and carry their registry prefix', () => {
    const otlpCodes = [new otlpErrorClasses[0]('json', 'x'), new otlpErrorClasses[1]('x')].map((e) => e.code);
    const registries: Array<[string, readonly string[]]> = [
      ['API_ERR_', Object.keys(API_ERROR_CODES)],
      ['BACKEND_ERR_', [new BackendConfigError('s', 'm').code]],
      ['GENERATOR_ERR_', Object.keys(GENERATOR_ERROR_CODES)],
      ['GUARD_ERR_', Object.keys(GUARD_ERROR_CODES)],
      ['LOGSTORE_ERR_', Object.keys(LOG_STORE_ERROR_CODES)],
      ['OTLP_ERR_', otlpCodes],
      ['TRACEQL_ERR_', TRACEQL_ERROR_CODES],
      ['RECV_ERR_', [...Object.keys(RECEIVER_ERROR_CODES), 'RECV_ERR_PUSH_REJECTED']],
      ['STORE_ERR_', Object.keys(STORE_ERROR_CODES)],
      ['CLI_ERR_', Object.keys(CLI_ERROR_CODES)],
      ['UI_ERR_', Object.values(UiErrorCodes)],
    ];
    const all = registries.flatMap(([, codes]) => codes);
    assert.equal(new Set(all).size, all.length);
    for (const [prefix, codes] of registries) for (const code of codes) assert.ok(code.startsWith(prefix), code);
    assert.equal(API_ERRORS.length, Object.keys(API_ERROR_CODES).length, 'one API error class per API code');
    assert.equal(receiverErrorClasses.length, Object.keys(RECEIVER_ERROR_CODES).length + 1, 'one receiver class per code, plus PushRejectedError');
  });
});
