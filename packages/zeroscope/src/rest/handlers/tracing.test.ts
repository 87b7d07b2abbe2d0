import assert from 'node:assert/strict';
import { request } from 'node:http';
import { after, describe, test } from 'node:test';
import { propagation, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { installTestTracer } from '../../trace/testing/index.ts';
import { HttpError } from '../errors.ts';
import { startTestServer } from '../testing/test-server.ts';

const tracing = installTestTracer('order-api');
after(() => tracing.shutdown());

/** Server spans end on the response's 'close', which may trail the client's read by a tick. */
async function serverSpans(count: number): Promise<ReadableSpan[]> {
  for (let i = 0; i < 200; i++) {
    const spans = tracing.spans().filter((s) => s.kind === SpanKind.SERVER);
    if (spans.length >= count) return spans;
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  assert.fail(`expected ${count} server spans, got ${tracing.spans().length} spans`);
}

const TRACE_ID = '0af7651916cd43dd8448eb211c80319c';
const PARENT_ID = 'b7ad6b7169203331';

describe('tracingHandler', () => {
  test('names the span by route template and records the HTTP attributes', async (t) => {
    tracing.reset();
    const { url, server } = await startTestServer(t, {}, (s) => {
      s.addRoute({ method: 'GET', path: '/api/order/:id', handler: ({ params }) => ({ id: params.id }) });
    });
    const first = await fetch(`${url}/api/order/1?verbose=1`, { headers: { 'user-agent': 'order-test/1.0' } });
    const second = await fetch(`${url}/api/order/2`);
    assert.equal(first.status, 200);
    const spans = await serverSpans(2);
    assert.deepEqual(spans.map((s) => s.name), ['GET /api/order/:id', 'GET /api/order/:id']);
    const [span] = spans;
    assert.equal(span.kind, SpanKind.SERVER);
    assert.deepEqual(span.attributes, {
      'http.request.method': 'GET',
      'url.path': '/api/order/1',
      'url.scheme': 'http',
      'http.route': '/api/order/:id',
      'server.address': '127.0.0.1',
      'server.port': server.port,
      'client.address': '127.0.0.1',
      'user_agent.original': 'order-test/1.0',
      'http.response.status_code': 200,
    });
    assert.equal(span.status.code, SpanStatusCode.UNSET);
    // The span context goes back to the client in the response headers.
    for (const [res, s] of [[first, spans[0]], [second, spans[1]]] as const) {
      const { traceId, spanId } = s.spanContext();
      assert.equal(res.headers.get('traceparent'), `00-${traceId}-${spanId}-01`);
    }
  });

  test('continues the trace of a valid incoming traceparent', async (t) => {
    tracing.reset();
    const { url } = await startTestServer(t, {}, (s) => s.addRoute({ method: 'GET', path: '/x', handler: () => 1 }));
    const res = await fetch(`${url}/x`, { headers: { traceparent: `00-${TRACE_ID}-${PARENT_ID}-01` } });
    assert.equal(res.status, 200);
    const [span] = await serverSpans(1);
    assert.equal(span.spanContext().traceId, TRACE_ID);
    assert.equal(span.parentSpanContext?.spanId, PARENT_ID);
    assert.equal(span.parentSpanContext?.isRemote, true);
  });

  test('the response carries the trace context but never echoes the caller\'s baggage', async (t) => {
    tracing.reset();
    let seen: string | undefined;
    const { url } = await startTestServer(t, {}, (s) =>
      s.addRoute({ method: 'GET', path: '/x', handler: () => { seen = propagation.getActiveBaggage()?.getEntry('tenant')?.value; return 1; } }),
    );
    const res = await fetch(`${url}/x`, { headers: { traceparent: `00-${TRACE_ID}-${PARENT_ID}-01`, baggage: 'tenant=acme' } });
    assert.equal(res.status, 200);
    assert.equal(seen, 'acme', 'the handler sees the incoming baggage');
    assert.match(res.headers.get('traceparent') ?? '', new RegExp(`^00-${TRACE_ID}-`));
    assert.equal(res.headers.get('baggage'), null);
  });

  test('a malformed traceparent starts a fresh trace and the request still succeeds', async (t) => {
    tracing.reset();
    const { url } = await startTestServer(t, {}, (s) => s.addRoute({ method: 'GET', path: '/x', handler: () => 1 }));
    const malformed = [`00-${TRACE_ID}-zz-01`, 'garbage', `00-${'0'.repeat(32)}-${PARENT_ID}-01`];
    for (const traceparent of malformed) {
      const res = await fetch(`${url}/x`, { headers: { traceparent } });
      assert.equal(res.status, 200, traceparent);
    }
    const spans = await serverSpans(malformed.length);
    for (const span of spans) {
      assert.equal(span.parentSpanContext, undefined);
      assert.notEqual(span.spanContext().traceId, TRACE_ID);
    }
  });

  test('status is Error for 5xx responses and unset otherwise', async (t) => {
    tracing.reset();
    const statuses = [200, 201, 400, 404, 499, 500, 502, 503];
    const { url } = await startTestServer(t, {}, (s) => {
      s.addRoute({
        method: 'GET',
        path: '/status/:code',
        handler: ({ params, res }) => {
          res.statusCode = Number(params.code);
          return { status: res.statusCode };
        },
      });
    });
    for (const status of statuses) assert.equal((await fetch(`${url}/status/${status}`)).status, status);
    const spans = await serverSpans(statuses.length);
    const byStatus = new Map(spans.map((s) => [s.attributes['http.response.status_code'], s]));
    for (const status of statuses) {
      const span = byStatus.get(status);
      assert.ok(span, `span for ${status}`);
      assert.equal(span.status.code, status >= 500 ? SpanStatusCode.ERROR : SpanStatusCode.UNSET, `status ${status}`);
      assert.equal(span.events.length, 0);
    }
  });

  test('thrown errors set Error with an exception event; thrown 4xx do not unless caused downstream', async (t) => {
    tracing.reset();
    const { url } = await startTestServer(t, {}, (s) => {
      s.addRoute({
        method: 'GET',
        path: '/crash',
        handler: () => {
          throw new TypeError('kaput');
        },
      });
      s.addRoute({
        method: 'GET',
        path: '/unavailable',
        handler: () => {
          throw new HttpError(503, 'down for maintenance');
        },
      });
      s.addRoute({
        method: 'GET',
        path: '/missing',
        handler: () => {
          throw new HttpError(404, 'no such order');
        },
      });
      s.addRoute({
        method: 'GET',
        path: '/downstream-missing',
        handler: () => {
          throw new HttpError(404, 'no such user', { cause: new Error('user 9 not found') });
        },
      });
    });
    assert.equal((await fetch(`${url}/crash`)).status, 500);
    assert.equal((await fetch(`${url}/unavailable`)).status, 503);
    assert.equal((await fetch(`${url}/missing`)).status, 404);
    assert.equal((await fetch(`${url}/downstream-missing`)).status, 404);
    const spans = await serverSpans(4);
    const byName = new Map(spans.map((s) => [s.name, s]));

    const crash = byName.get('GET /crash')!;
    assert.deepEqual(crash.status, { code: SpanStatusCode.ERROR, message: 'kaput' });
    assert.equal(crash.attributes['http.response.status_code'], 500);
    assert.equal(crash.events.length, 1);
    assert.equal(crash.events[0].name, 'exception');
    // The original error is recorded, not the generic 500 the client sees.
    assert.equal(crash.events[0].attributes?.['exception.type'], 'TypeError');
    assert.equal(crash.events[0].attributes?.['exception.message'], 'kaput');

    const unavailable = byName.get('GET /unavailable')!;
    assert.deepEqual(unavailable.status, { code: SpanStatusCode.ERROR, message: 'down for maintenance' });
    assert.equal(unavailable.events[0]?.name, 'exception');

    const missing = byName.get('GET /missing')!;
    assert.equal(missing.status.code, SpanStatusCode.UNSET);
    assert.equal(missing.events.length, 0);
    assert.equal(missing.attributes['http.response.status_code'], 404);

    // A 4xx caused by a failed downstream call is this server's failure too: Error, with the cause.
    const downstream = byName.get('GET /downstream-missing')!;
    assert.deepEqual(downstream.status, { code: SpanStatusCode.ERROR, message: 'user 9 not found' });
    assert.equal(downstream.events[0]?.name, 'exception');
    assert.equal(downstream.attributes['http.response.status_code'], 404);
  });

  test('an unknown route is traced as just the method, with a 404', async (t) => {
    tracing.reset();
    const { url } = await startTestServer(t, {}, (s) => s.addRoute({ method: 'GET', path: '/x', handler: () => 1 }));
    const res = await fetch(`${url}/does/not/exist`, { method: 'DELETE' });
    assert.equal(res.status, 404);
    const [span] = await serverSpans(1);
    assert.equal(span.name, 'DELETE');
    assert.equal(span.attributes['http.route'], undefined);
    assert.equal(span.attributes['url.path'], '/does/not/exist');
    assert.equal(span.attributes['http.response.status_code'], 404);
    assert.equal(span.status.code, SpanStatusCode.UNSET);
    assert.ok(res.headers.get('traceparent')?.includes(span.spanContext().spanId));
  });

  test("the handler's own spans nest under the server span", async (t) => {
    tracing.reset();
    const { url } = await startTestServer(t, {}, (s) => {
      s.addRoute({
        method: 'GET',
        path: '/nested',
        handler: async () => {
          const active = trace.getActiveSpan();
          await trace.getTracer('logic').startActiveSpan('load order', async (child) => {
            await new Promise((resolve) => setImmediate(resolve));
            child.end();
          });
          return { sawActive: active !== undefined };
        },
      });
    });
    assert.deepEqual(await (await fetch(`${url}/nested`)).json(), { sawActive: true });
    const [server] = await serverSpans(1);
    const child = tracing.spans().find((s) => s.name === 'load order');
    assert.ok(child);
    assert.equal(child.spanContext().traceId, server.spanContext().traceId);
    assert.equal(child.parentSpanContext?.spanId, server.spanContext().spanId);
  });

  test('ends the span once when the client aborts before the response', async (t) => {
    tracing.reset();
    let entered!: () => void;
    const inHandler = new Promise<void>((resolve) => (entered = resolve));
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const { url } = await startTestServer(t, { Timeout: 0 }, (s) => {
      s.addRoute({
        method: 'GET',
        path: '/hang',
        handler: async () => {
          entered();
          await gate;
          return 'late';
        },
      });
    });
    const req = request(`${url}/hang`);
    req.on('error', () => {});
    req.end();
    await inHandler;
    req.destroy();
    const [span] = await serverSpans(1);
    assert.equal(span.name, 'GET /hang');
    // No response went out, so there is no status code to report.
    assert.equal(span.attributes['http.response.status_code'], undefined);
    release();
    await new Promise((resolve) => setTimeout(resolve, 20));
    assert.equal(tracing.spans().length, 1);
  });
});
