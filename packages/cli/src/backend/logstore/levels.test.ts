import assert from 'node:assert/strict';
import { it } from 'node:test';
import { LOG_STORE_ERROR_CODES, LogStoreError, isLogLevel, levelOf } from './index.ts';

it('maps severity number ranges, then severity text, to levels', () => {
  const table: Array<[number, string, string]> = [
    [1, '', 'trace'], [4, '', 'trace'], [5, '', 'debug'], [9, 'ignored', 'info'], [12, '', 'info'],
    [13, '', 'warn'], [17, '', 'error'], [20, '', 'error'], [21, '', 'fatal'], [24, '', 'fatal'],
    [0, 'WARNING', 'warn'], [0, 'err', 'error'], [0, 'critical', 'fatal'], [0, 'verbose', 'unspecified'], [0, '', 'unspecified'],
  ];
  for (const [n, text, level] of table) assert.equal(levelOf(n, text), level, `${n} ${text}`);
  assert.ok(isLogLevel('warn'));
  assert.ok(!isLogLevel('warning'));
});

it('gives every error code an HTTP status', () => {
  for (const code of Object.keys(LOG_STORE_ERROR_CODES) as Array<keyof typeof LOG_STORE_ERROR_CODES>) {
    const err = new LogStoreError(code, 'x');
    assert.equal(err.status, LOG_STORE_ERROR_CODES[code]);
    assert.match(err.code, /^LOGSTORE_ERR_/);
  }
});
