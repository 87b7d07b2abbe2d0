/**
 * The seed's result, end to end: order-api and user-rpc run as real processes from their YAML
 * configs, export over OTLP/HTTP protobuf, and one request is one trace of three spans.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { QuerySpan } from '../../packages/cli/src/backend/query/storage.ts';
import { SpanKind, StatusCode } from '../../packages/cli/src/backend/query/storage.ts';
import { type Collector, type ServiceProcess, removeTempDirs, startCollector, startSeedSystem } from './harness.ts';
import { eventually } from '../lib/eventually.ts';

function traceOf(spans: QuerySpan[], traceId: string): QuerySpan[] {
  return spans.filter((s) => s.traceId === traceId);
}

async function traceSpans(collector: Collector, traceId: string, count = 3): Promise<QuerySpan[]> {
  let spans: QuerySpan[] = [];
  return eventually(
    () => `trace ${traceId}: expected ${count} spans, got ${spans.length}`,
    () => ((spans = traceOf(collector.spans(), traceId)).length >= count ? spans : undefined),
  );
}

/** The three spans by role, asserting the parent chain order SERVER → order CLIENT → user SERVER. */
function chain(spans: QuerySpan[]) {
  assert.equal(spans.length, 3, `spans: ${spans.map((s) => s.name).join(', ')}`);
  const orderServer = spans.find((s) => s.serviceName === 'order' && s.kind === SpanKind.SERVER);
  const orderClient = spans.find((s) => s.serviceName === 'order' && s.kind === SpanKind.CLIENT);
  const userServer = spans.find((s) => s.serviceName === 'user' && s.kind === SpanKind.SERVER);
  assert.ok(orderServer && orderClient && userServer, 'one order SERVER, one order CLIENT, one user SERVER');
  assert.equal(orderClient.parentSpanId, orderServer.spanId);
  assert.equal(userServer.parentSpanId, orderClient.spanId);
  return { orderServer, orderClient, userServer };
}

function traceparentOf(res: Response): { traceId: string; spanId: string } {
  const header = res.headers.get('traceparent');
  assert.ok(header, 'the response carries a traceparent');
  const [, traceId, spanId] = header.split('-');
  return { traceId, spanId };
}

describe('the seed: order-api → user-rpc, one trace of three spans', () => {
  let collector: Collector;
  let user: ServiceProcess;
  let order: ServiceProcess;
  let orderUrl: string;
  let userPort: number;

  before(async () => {
    collector = await startCollector();
    ({ user, order, orderUrl, userPort } = await startSeedSystem(collector.endpoint));
  });
  after(async () => {
    await order?.stop();
    await user?.stop();
    await collector?.close();
    removeTempDirs();
  });

  test('GET /api/order/1 is one trace: order SERVER → order CLIENT → user SERVER', async () => {
    const res = await fetch(`${orderUrl}/api/order/1`, { headers: { 'user-agent': 'seed-e2e' } });
    assert.equal(res.status, 200);
    const body = (await res.json()) as { id: string; user: { id: string; name: string } };
    assert.equal(body.id, '1');
    assert.equal(body.user.id, '1');

    const { traceId, spanId } = traceparentOf(res);
    const { orderServer, orderClient, userServer } = chain(await traceSpans(collector, traceId));
    assert.equal(orderServer.spanId, spanId, 'the response traceparent names the order server span');
    assert.equal(orderServer.parentSpanId, '', 'no incoming context: the order span is the root');

    assert.equal(orderServer.name, 'GET /api/order/:id');
    assert.equal(orderServer.statusCode, StatusCode.UNSET);
    assert.deepEqual(
      {
        method: orderServer.attributes['http.request.method'],
        path: orderServer.attributes['url.path'],
        scheme: orderServer.attributes['url.scheme'],
        route: orderServer.attributes['http.route'],
        status: orderServer.attributes['http.response.status_code'],
        serverAddress: orderServer.attributes['server.address'],
        userAgent: orderServer.attributes['user_agent.original'],
      },
      { method: 'GET', path: '/api/order/1', scheme: 'http', route: '/api/order/:id', status: 200, serverAddress: '127.0.0.1', userAgent: 'seed-e2e' },
    );
    assert.equal(typeof orderServer.attributes['server.port'], 'number');
    assert.equal(typeof orderServer.attributes['client.address'], 'string');

    for (const span of [orderClient, userServer]) {
      assert.equal(span.name, 'user.User/GetUser');
      assert.equal(span.attributes['rpc.system'], 'grpc');
      assert.equal(span.attributes['rpc.service'], 'user.User');
      assert.equal(span.attributes['rpc.method'], 'GetUser');
      assert.equal(span.attributes['rpc.grpc.status_code'], 0);
      assert.notEqual(span.statusCode, StatusCode.ERROR);
      const messages = span.events.filter((e) => e.name === 'message');
      assert.deepEqual(
        messages.map((e) => [e.attributes['message.type'], e.attributes['message.id']]).sort(),
        [['RECEIVED', 1], ['SENT', 1]],
        `${span.serviceName} ${span.kind}: one SENT and one RECEIVED message event`,
      );
    }
    assert.equal(orderClient.attributes['server.address'], '127.0.0.1');
    assert.equal(orderClient.attributes['server.port'], userPort);
    assert.equal(orderServer.resource['service.name'], 'order');
    assert.equal(userServer.resource['service.name'], 'user');
    // Children start after and end before their parents.
    assert.ok(orderClient.startTimeUnixNano >= orderServer.startTimeUnixNano);
    assert.ok(userServer.endTimeUnixNano <= orderClient.endTimeUnixNano + 1_000_000n);
  });

  test('start times are as precise as end times: SERVER < CLIENT < user SERVER, each inside its parent', async () => {
    for (let i = 0; i < 5; i++) {
      const res = await fetch(`${orderUrl}/api/order/${(i % 3) + 1}`);
      await res.arrayBuffer();
      const { orderServer, orderClient, userServer } = chain(await traceSpans(collector, traceparentOf(res).traceId));
      // Each span starts after the one that caused it (strictly: a whole-millisecond start made
      // the CLIENT span start "+0ns" after its parent) and ends inside it.
      assert.ok(orderServer.startTimeUnixNano < orderClient.startTimeUnixNano, `order CLIENT starts after order SERVER (${orderServer.startTimeUnixNano} vs ${orderClient.startTimeUnixNano})`);
      assert.ok(orderClient.startTimeUnixNano < userServer.startTimeUnixNano, `user SERVER starts after order CLIENT (${orderClient.startTimeUnixNano} vs ${userServer.startTimeUnixNano})`);
      assert.ok(userServer.endTimeUnixNano <= orderClient.endTimeUnixNano, 'user SERVER ends before order CLIENT');
      assert.ok(orderClient.endTimeUnixNano <= orderServer.endTimeUnixNano, 'order CLIENT ends before order SERVER');
      for (const span of [orderServer, orderClient, userServer]) {
        for (const event of span.events) {
          assert.ok(event.timeUnixNano >= span.startTimeUnixNano && event.timeUnixNano <= span.endTimeUnixNano, `${span.name} event ${event.name} inside its span`);
        }
      }
    }
    // Sub-millisecond starts: over 15 spans, whole-millisecond starts only would be a clock of milliseconds.
    const starts = collector.spans().map((s) => s.startTimeUnixNano % 1_000_000n);
    assert.ok(starts.filter((ns) => ns !== 0n).length >= starts.length - 1, `start times carry sub-millisecond digits: ${starts.join(', ')}`);
  });

  test('an incoming traceparent makes the whole chain its child', async () => {
    const traceId = '4bf92f3577b34da6a3ce929d0e0e4736';
    const parent = '00f067aa0ba902b7';
    const res = await fetch(`${orderUrl}/api/order/2`, { headers: { traceparent: `00-${traceId}-${parent}-01` } });
    assert.equal(res.status, 200);
    assert.equal(traceparentOf(res).traceId, traceId);
    const { orderServer } = chain(await traceSpans(collector, traceId));
    assert.equal(orderServer.parentSpanId, parent);
  });

  test('a malformed traceparent starts a fresh trace and never fails the request', async () => {
    for (const bad of ['garbage', '00-xyz-abc-01', `00-${'0'.repeat(32)}-${'0'.repeat(16)}-01`, '00-'.padEnd(4000, 'f')]) {
      const res = await fetch(`${orderUrl}/api/order/3`, { headers: { traceparent: bad } });
      assert.equal(res.status, 200, `traceparent ${bad.slice(0, 40)}`);
      const { traceId } = traceparentOf(res);
      assert.notEqual(traceId, '0'.repeat(32));
      chain(await traceSpans(collector, traceId));
    }
  });

  test('GET /api/order/999: NOT_FOUND from user-rpc, 404, Error on all three spans', async () => {
    const res = await fetch(`${orderUrl}/api/order/999`);
    assert.equal(res.status, 404);
    const { orderServer, orderClient, userServer } = chain(await traceSpans(collector, traceparentOf(res).traceId));
    for (const span of [orderServer, orderClient, userServer]) {
      assert.equal(span.statusCode, StatusCode.ERROR, `${span.serviceName} ${span.name} has Error status`);
    }
    assert.equal(orderServer.attributes['http.response.status_code'], 404);
    assert.equal(orderClient.attributes['rpc.grpc.status_code'], 5);
    assert.equal(userServer.attributes['rpc.grpc.status_code'], 5);
    assert.match(userServer.statusMessage, /user 999 not found/);
    assert.match(orderClient.statusMessage, /user 999 not found/);
  });
});
