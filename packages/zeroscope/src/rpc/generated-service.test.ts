import assert from 'node:assert/strict';
import { describe, test, type TestContext } from 'node:test';
import { type Span, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { installTestTracer } from '../trace/testing/index.ts';
import { createClient, type GeneratedImplementation, type RpcClient, RpcServer, RpcStatusError, status } from './index.ts';
import { Money } from './testdata/shop/pb/common/money.ts';
import { Empty } from './testdata/shop/pb/google/protobuf/empty.ts';
import { GetItemReq, Item, ShopService, Status, UploadReply } from './testdata/shop/pb/shop.ts';

// The fixture's code is what `zeroscope gen rpc` writes (ts-proto, outputServices=grpc-js): these
// tests prove the server and client take it as it is, typed, for all four method kinds.

const ITEM: Item = {
  id: 'i-1',
  price: { currency: 'EUR', units: '9007199254740993' }, // past 2^53: int64 stays exact as a string
  tags: ['red', 'large'],
  stock: { paris: 3, lyon: 0 },
  status: Status.STATUS_OPEN,
  createdAt: new Date('2026-01-02T03:04:05.678Z'),
  discount: { $case: 'amount', value: Money.fromPartial({ currency: 'EUR', units: '2' }) },
};
const OTHER: Item = Item.fromPartial({ id: 'i-2', status: Status.STATUS_CLOSED, discount: { $case: 'percent', value: 15 } });

function shop(): GeneratedImplementation<typeof ShopService> {
  const items = new Map([ITEM, OTHER].map((item) => [item.id, item]));
  return {
    getItem(request) {
      const item = items.get(request.id);
      if (item === undefined) throw new RpcStatusError(status.NOT_FOUND, `item ${request.id} not found`);
      return item;
    },
    async *listItems(_request: Empty) {
      yield* items.values();
    },
    async uploadItems(requests) {
      const ids: string[] = [];
      for await (const item of requests) {
        if (item.id === '') throw new RpcStatusError(status.INVALID_ARGUMENT, 'an item needs an id');
        ids.push(item.id);
      }
      return UploadReply.fromPartial({ count: ids.length, ids });
    },
    async *exchange(requests) {
      // The handler runs in the SERVER span's context, for bidi too.
      trace.getActiveSpan()?.setAttribute('shop.exchange', true);
      for await (const request of requests) {
        const item = items.get(request.id);
        if (item === undefined) throw new RpcStatusError(status.NOT_FOUND, `item ${request.id} not found`);
        yield item;
      }
    },
  };
}

async function start(t: TestContext) {
  const server = new RpcServer({ Name: 'shop.rpc', ListenOn: '127.0.0.1:0' });
  server.addService(ShopService, shop());
  await server.start();
  t.after(() => server.stop());
  const client = createClient(ShopService, { Endpoints: [server.address ?? ''] });
  t.after(() => client.close());
  return client;
}

/** Never called: `tsc -p .` proves the client and server are typed from the generated definition. */
export function typing(client: RpcClient<typeof ShopService>): void {
  // @ts-expect-error: a request field of the wrong type
  void client.getItem({ id: 1 });
  // @ts-expect-error: a server-streaming call is not a promise
  void client.listItems({}).then;
  // @ts-expect-error: a client-streaming call takes an iterable of requests
  void client.uploadItems(ITEM);
  const reply: Promise<UploadReply> = client.uploadItems([ITEM]);
  void reply;
  const wrong: GeneratedImplementation<typeof ShopService> = {
    ...shop(),
    // @ts-expect-error: a unary method returns its reply type
    getItem: () => ({ nope: true }),
  };
  void wrong;
}

const isStatus = (code: status) => (err: unknown) => err instanceof RpcStatusError && err.grpcCode === code;

function messages(span: ReadableSpan): Array<[unknown, unknown]> {
  return span.events.filter((e) => e.name === 'message').map((e) => [e.attributes?.['message.type'], e.attributes?.['message.id']]);
}

describe('generated services (zeroscope gen rpc)', () => {
  test('all four method kinds round-trip every field kind; errors keep their status', async (t) => {
    const client = await start(t);

    assert.deepEqual(await client.getItem({ id: 'i-1' }), ITEM);
    assert.deepEqual(await client.getItem(GetItemReq.create({ id: 'i-2' })), OTHER);
    await assert.rejects(client.getItem({ id: 'nope' }), isStatus(status.NOT_FOUND));

    const listed: Item[] = [];
    for await (const item of client.listItems(Empty.create())) listed.push(item);
    assert.deepEqual(listed, [ITEM, OTHER]);

    assert.deepEqual(await client.uploadItems([ITEM, OTHER]), { count: 2, ids: ['i-1', 'i-2'] });
    async function* slowly() {
      yield ITEM;
      await new Promise((resolve) => setTimeout(resolve, 10));
      yield OTHER;
    }
    assert.deepEqual(await client.uploadItems(slowly()), { count: 2, ids: ['i-1', 'i-2'] });
    assert.deepEqual(await client.uploadItems([]), { count: 0, ids: [] });
    await assert.rejects(client.uploadItems([ITEM, Item.create()]), isStatus(status.INVALID_ARGUMENT));

    const exchanged: string[] = [];
    for await (const item of client.exchange([{ id: 'i-2' }, { id: 'i-1' }])) exchanged.push(item.id);
    assert.deepEqual(exchanged, ['i-2', 'i-1']);
    await assert.rejects(async () => {
      for await (const _ of client.exchange([{ id: 'i-1' }, { id: 'nope' }]));
    }, isStatus(status.NOT_FOUND));
  });

  test('a request source that throws fails the call with its own error', async (t) => {
    const client = await start(t);
    const broken = new Error('source broke');
    async function* failing(): AsyncGenerator<Item> {
      yield ITEM;
      throw broken;
    }
    await assert.rejects(client.uploadItems(failing()), (err) => err === broken);
    async function* failingReqs(): AsyncGenerator<GetItemReq> {
      yield { id: 'i-1' };
      await new Promise((resolve) => setTimeout(resolve, 20));
      throw broken;
    }
    await assert.rejects(async () => {
      for await (const _ of client.exchange(failingReqs()));
    }, (err) => err === broken);
    // The client still works afterwards.
    assert.equal((await client.getItem({ id: 'i-1' })).id, 'i-1');
  });

  test('streaming calls make CLIENT and SERVER spans with message events, as unary ones do', async (t) => {
    const tracing = installTestTracer('shop');
    t.after(() => tracing.shutdown());
    const client = await start(t);
    let traceId = '';
    await trace.getTracer('test').startActiveSpan('caller', async (root: Span) => {
      traceId = root.spanContext().traceId;
      await client.getItem({ id: 'i-1' });
      for await (const _ of client.listItems({}));
      await client.uploadItems([ITEM, OTHER, ITEM]);
      for await (const _ of client.exchange([{ id: 'i-1' }, { id: 'i-2' }]));
      await assert.rejects(client.uploadItems([Item.create()]), isStatus(status.INVALID_ARGUMENT));
      root.end();
    });
    const spans = tracing.spans();
    const byName = (kind: SpanKind, name: string) => spans.filter((s) => s.kind === kind && s.name === `shop.v1.Shop/${name}`);
    const expected: Array<[string, Array<[unknown, unknown]>, Array<[unknown, unknown]>]> = [
      ['GetItem', [['SENT', 1], ['RECEIVED', 1]], [['RECEIVED', 1], ['SENT', 1]]],
      ['ListItems', [['SENT', 1], ['RECEIVED', 1], ['RECEIVED', 2]], [['RECEIVED', 1], ['SENT', 1], ['SENT', 2]]],
      ['UploadItems', [['SENT', 1], ['SENT', 2], ['SENT', 3], ['RECEIVED', 1]], [['RECEIVED', 1], ['RECEIVED', 2], ['RECEIVED', 3], ['SENT', 1]]],
    ];
    for (const [name, clientEvents, serverEvents] of expected) {
      const [clientSpan] = byName(SpanKind.CLIENT, name);
      const [serverSpan] = byName(SpanKind.SERVER, name);
      assert.ok(clientSpan && serverSpan, `${name}: both spans`);
      assert.deepEqual(messages(clientSpan).sort(), clientEvents.sort(), `${name} CLIENT events`);
      assert.deepEqual(messages(serverSpan).sort(), serverEvents.sort(), `${name} SERVER events`);
      assert.equal(serverSpan.parentSpanContext?.spanId, clientSpan.spanContext().spanId, `${name}: SERVER is the CLIENT's child`);
      assert.equal(serverSpan.attributes['rpc.grpc.status_code'], 0);
      assert.equal(clientSpan.spanContext().traceId, traceId, `${name}: CLIENT is in the caller's trace`);
    }
    // Bidi: messages both ways (their order interleaves), the handler inside the SERVER span.
    const [bidiClient] = byName(SpanKind.CLIENT, 'Exchange');
    const [bidiServer] = byName(SpanKind.SERVER, 'Exchange');
    assert.ok(bidiClient && bidiServer);
    assert.deepEqual(messages(bidiClient).filter(([type]) => type === 'SENT').length, 2);
    assert.deepEqual(messages(bidiClient).filter(([type]) => type === 'RECEIVED').length, 2);
    assert.deepEqual(messages(bidiServer).filter(([type]) => type === 'RECEIVED').length, 2);
    assert.equal(bidiServer.attributes['shop.exchange'], true);
    assert.equal(bidiServer.parentSpanContext?.spanId, bidiClient.spanContext().spanId);
    // A failed client stream: both spans Error with the status code.
    const failed = byName(SpanKind.SERVER, 'UploadItems')[1];
    const failedClient = byName(SpanKind.CLIENT, 'UploadItems')[1];
    assert.ok(failed && failedClient);
    assert.equal(failed.attributes['rpc.grpc.status_code'], status.INVALID_ARGUMENT);
    assert.equal(failed.status.code, SpanStatusCode.ERROR);
    assert.equal(failedClient.attributes['rpc.grpc.status_code'], status.INVALID_ARGUMENT);
    assert.equal(failedClient.status.code, SpanStatusCode.ERROR);
  });
});
