import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import { LogSchema, setUpLogging } from '../../log/index.ts';
import { captureLines } from '../../log/testing/index.ts';
import { installTestTracer } from '../../trace/testing/index.ts';
import { HttpError } from '../errors.ts';
import { startTestServer } from '../testing/test-server.ts';

// node --test runs each file in its own process, so this file owns the process logger.
const sink = captureLines();
setUpLogging(LogSchema.parse({ SlowThreshold: 250 }), { serviceName: 'order-api', destination: sink.stream });
const tracing = installTestTracer('order-api');
after(() => tracing.shutdown());

const traceIdOf = (res: Response) => res.headers.get('traceparent')?.split('-')[1];

describe('accessLogHandler', () => {
  test('one line per request: route, path, status, duration, in the request trace; 5xx at error, slow at warn', async (t) => {
    sink.reset();
    const { url } = await startTestServer(t, {}, (s) => {
      s.addRoute({ method: 'GET', path: '/api/order/:id', handler: ({ params }) => ({ id: params.id }) });
      s.addRoute({
        method: 'GET',
        path: '/api/missing',
        handler: () => {
          throw new HttpError(404, 'no such order');
        },
      });
      s.addRoute({
        method: 'GET',
        path: '/api/boom',
        handler: () => {
          throw new Error('kaput');
        },
      });
      s.addRoute({ method: 'GET', path: '/api/slow', handler: () => new Promise((resolve) => setTimeout(() => resolve({}), 300)) });
    });
    await (await fetch(`${url}/api/order/0`)).arrayBuffer(); // connecting is not part of what the lines measure
    sink.reset();
    const responses: Response[] = [];
    for (const path of ['/api/order/7?x=1', '/api/missing', '/api/boom', '/nowhere', '/api/slow']) {
      const res = await fetch(url + path);
      await res.arrayBuffer();
      responses.push(res);
    }
    const lines = sink.lines();
    assert.deepEqual(
      lines.map((l) => [l.level, l.method, l.route, l.path, l.status, l.msg]),
      [
        ['info', 'GET', '/api/order/:id', '/api/order/7', 200, 'GET /api/order/7 200'],
        ['error', 'GET', '/api/missing', '/api/missing', 404, 'GET /api/missing 404'],
        ['error', 'GET', '/api/boom', '/api/boom', 500, 'GET /api/boom 500'],
        ['error', 'GET', undefined, '/nowhere', 404, 'GET /nowhere 404'],
        ['warn', 'GET', '/api/slow', '/api/slow', 200, 'slowcall GET /api/slow 200'],
      ],
    );
    lines.forEach((line, i) => {
      assert.equal(line.trace_id, traceIdOf(responses[i]), `${line.msg}: the line carries the trace of its response`);
      assert.equal(typeof line.span_id, 'string');
      assert.equal(line.kind, 'http');
      assert.equal(line.service, 'order-api');
      assert.equal(typeof line.duration_ms, 'number');
    });
    assert.ok((lines[4].duration_ms as number) >= 250);
    assert.equal(lines[4].slow, true);
  });

  test('Middlewares.Log false writes nothing', async (t) => {
    sink.reset();
    const { url } = await startTestServer(t, { Middlewares: { Log: false } }, (s) => {
      s.addRoute({ method: 'GET', path: '/quiet', handler: () => ({}) });
    });
    assert.equal((await fetch(`${url}/quiet`)).status, 200);
    assert.equal(sink.lines().length, 0);
  });
});
