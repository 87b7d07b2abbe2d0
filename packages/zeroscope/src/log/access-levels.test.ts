import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { logAccess } from './access-log.ts';
import { LogSchema } from './config.ts';
import { setUpLogging } from './logger.ts';
import { captureLines } from './testing/index.ts';

// node --test runs each file in its own process, so this file owns the process logger.
describe('Log.AccessLevels', () => {
  const sink = captureLines();
  setUpLogging(
    LogSchema.parse({ Level: 'debug', SlowThreshold: 50, AccessLevels: { Success: 'debug', ClientError: 'warn', Slow: 'error' } }),
    { serviceName: 'api', destination: sink.stream },
  );

  test('sets the level of each kind of access line; a slow failure takes the higher level', () => {
    const base = { kind: 'http', method: 'GET', route: '/r', path: '/r' } as const;
    logAccess({ ...base, status: 200, durationMs: 1, outcome: 'success' });
    logAccess({ ...base, status: 404, durationMs: 1, outcome: 'client-error' });
    logAccess({ ...base, status: 500, durationMs: 1, outcome: 'server-error' });
    logAccess({ ...base, status: 200, durationMs: 60, outcome: 'success' });
    logAccess({ ...base, status: 404, durationMs: 60, outcome: 'client-error' });
    assert.deepEqual(
      sink.lines().map((l) => [l.level, l.msg]),
      [
        ['debug', 'GET /r 200'],
        ['warn', 'GET /r 404'],
        ['error', 'GET /r 500'],
        ['error', 'slowcall GET /r 200'],
        ['error', 'slowcall GET /r 404'],
      ],
    );
  });

  test('an unknown level is a config error naming the key', () => {
    const parsed = LogSchema.safeParse({ AccessLevels: { ClientError: 'loud' } });
    assert.equal(parsed.success, false);
    assert.deepEqual(parsed.error?.issues[0]?.path, ['AccessLevels', 'ClientError']);
    assert.equal(LogSchema.safeParse({ AccessLevels: { Failed: 'error' } }).success, false, 'unknown keys are refused');
  });
});
