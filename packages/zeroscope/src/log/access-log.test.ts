import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { logAccess } from './access-log.ts';
import { LogSchema } from './config.ts';
import { accessLogSettings, logger, setUpLogging } from './logger.ts';
import { captureLines } from './testing/index.ts';

// node --test runs each file in its own process, so this file owns the process logger.
describe('logAccess with Log.Stat off', () => {
  const sink = captureLines();
  setUpLogging(LogSchema.parse({ Stat: false, SlowThreshold: 50, ServiceName: 'api' }), { serviceName: 'ignored', destination: sink.stream });

  test('set-up happens once: a later call changes nothing', () => {
    const other = captureLines();
    setUpLogging(LogSchema.parse({ Stat: true }), { serviceName: 'second', destination: other.stream });
    assert.deepEqual(accessLogSettings(), { stat: false, slowThreshold: 50, exportAccess: false, levels: { Success: 'info', ClientError: 'error', ServerError: 'error', Slow: 'warn' } });
    logger().info('to the first sink');
    assert.equal(other.lines().length, 0);
    assert.equal(sink.lines().at(-1)?.service, 'api');
    sink.reset();
  });

  test('fast successful requests write nothing; failures (caller\'s or server\'s) go out at error, slow ones at warn as slowcall', () => {
    const base = { kind: 'http', method: 'GET', route: '/api/order/:id', path: '/api/order/1' } as const;
    logAccess({ ...base, status: 200, durationMs: 3, outcome: 'success' });
    logAccess({ ...base, status: 404, durationMs: 2, outcome: 'client-error' });
    logAccess({ ...base, status: 503, durationMs: 3.14159, outcome: 'server-error' });
    logAccess({ ...base, status: 200, durationMs: 51, outcome: 'success' });
    logAccess({ kind: 'rpc', method: 'user.User/GetUser', status: 13, code: 'INTERNAL', durationMs: 80, outcome: 'server-error' });
    const lines = sink.lines().map(({ time: _time, ...rest }) => rest);
    assert.deepEqual(lines, [
      { level: 'error', service: 'api', kind: 'http', method: 'GET', route: '/api/order/:id', path: '/api/order/1', status: 404, duration_ms: 2, msg: 'GET /api/order/1 404' },
      { level: 'error', service: 'api', kind: 'http', method: 'GET', route: '/api/order/:id', path: '/api/order/1', status: 503, duration_ms: 3.142, msg: 'GET /api/order/1 503' },
      { level: 'warn', service: 'api', kind: 'http', method: 'GET', route: '/api/order/:id', path: '/api/order/1', status: 200, duration_ms: 51, slow: true, msg: 'slowcall GET /api/order/1 200' },
      { level: 'error', service: 'api', kind: 'rpc', method: 'user.User/GetUser', status: 13, code: 'INTERNAL', duration_ms: 80, slow: true, msg: 'slowcall user.User/GetUser INTERNAL' },
    ]);
  });
});
