import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { connect } from 'node:net';
import { gzipSync } from 'node:zlib';
import { otlpTypes } from '../otlp/index.ts';
import { PushRejectedError, createMemoryPusher, createOtlpHttpReceiver } from './index.ts';
import type { Receiver } from './index.ts';
import { SPAN_ID, send, validJson, validProtobuf } from './testing/index.ts';
import type { RawResponse } from './testing/index.ts';

const PROTOBUF = { 'content-type': 'application/x-protobuf' };
const JSON_TYPE = { 'content-type': 'application/json' };

/** The google.rpc.Status message of an error answer, in whichever encoding it came. */
function statusOf(res: RawResponse): { code: number; message: string } {
  if (res.headers['content-type'] === 'application/x-protobuf') {
    return otlpTypes.RpcStatus.toObject(otlpTypes.RpcStatus.decode(res.body)) as { code: number; message: string };
  }
  assert.equal(res.headers['content-type'], 'application/json');
  return JSON.parse(res.body.toString());
}

describe('OTLP/HTTP receiver', () => {
  const pusher = createMemoryPusher();
  const errors: unknown[] = [];
  const receiver: Receiver = createOtlpHttpReceiver({ port: 0, pusher, onError: (e) => errors.push(e) });
  let port = 0;
  before(async () => {
    port = (await receiver.start()).port;
  });
  after(() => receiver.stop());

  /** A valid request still works: the server survived whatever came before. */
  async function assertStillServing(): Promise<void> {
    const before = pusher.requests.length;
    const res = await send(port, { headers: PROTOBUF, body: validProtobuf('after') });
    assert.equal(res.status, 200);
    assert.equal(pusher.requests.length, before + 1);
  }

  it('accepts protobuf and answers an ExportTraceServiceResponse in protobuf', async () => {
    const res = await send(port, { headers: PROTOBUF, body: validProtobuf('proto') });
    assert.equal(res.status, 200);
    assert.equal(res.headers['content-type'], 'application/x-protobuf');
    assert.deepEqual(otlpTypes.ExportTraceServiceResponse.toObject(otlpTypes.ExportTraceServiceResponse.decode(res.body)), {});
    const span = pusher.requests.at(-1)!.resourceSpans[0].scopeSpans[0].spans[0];
    assert.equal(span.name, 'proto');
    assert.equal(Buffer.from(span.spanId).toString('hex'), SPAN_ID);
  });

  it('accepts JSON, gzipped or not, with a charset, and answers {}', async () => {
    for (const [headers, body] of [
      [{ 'content-type': 'application/json; charset=utf-8' }, validJson('plain')],
      [{ ...JSON_TYPE, 'content-encoding': 'gzip' }, gzipSync(validJson('gzipped'))],
    ] as const) {
      const res = await send(port, { headers, body });
      assert.equal(res.status, 200, res.body.toString());
      assert.equal(res.headers['content-type'], 'application/json');
      assert.equal(res.body.toString(), '{}');
    }
    assert.deepEqual(pusher.requests.slice(-2).map((r) => r.resourceSpans[0].scopeSpans[0].spans[0].name), ['plain', 'gzipped']);
  });

  it('answers an empty export with 200 without pushing', async () => {
    const before = pusher.requests.length;
    const res = await send(port, { headers: JSON_TYPE, body: '{"resourceSpans":[]}' });
    assert.equal(res.status, 200);
    assert.equal(pusher.requests.length, before);
  });

  const fiftyMegabytes = Buffer.alloc(50 * 1024 * 1024, 0x20);
  const bomb = gzipSync(Buffer.alloc(50 * 1024 * 1024, 0x20));
  const cases: { name: string; headers: Record<string, string>; body: Buffer | string; chunked?: boolean; method?: string; path?: string; status: number; reason: RegExp; format?: string }[] = [
    { name: 'truncated protobuf', headers: PROTOBUF, body: validProtobuf().subarray(0, 30), status: 400, reason: /invalid OTLP protobuf payload: index out of range/, format: 'application/x-protobuf' },
    { name: 'protobuf garbage', headers: PROTOBUF, body: 'garbage garbage', status: 400, reason: /invalid OTLP protobuf payload/, format: 'application/x-protobuf' },
    { name: 'JSON syntax error', headers: JSON_TYPE, body: '{"resourceSpans": [', status: 400, reason: /not valid JSON/ },
    { name: 'JSON of the wrong shape', headers: JSON_TYPE, body: '{"resourceSpans": 5}', status: 400, reason: /resourceSpans: expected an array/ },
    { name: 'bad gzip', headers: { ...JSON_TYPE, 'content-encoding': 'gzip' }, body: 'definitely not gzip', status: 400, reason: /not valid gzip/ },
    { name: 'a 50 MB body', headers: PROTOBUF, body: fiftyMegabytes, status: 413, reason: /exceeds the limit of 20971520 bytes/, format: 'application/x-protobuf' },
    { name: 'a 50 MB chunked body', headers: JSON_TYPE, body: fiftyMegabytes, chunked: true, status: 413, reason: /exceeds the limit/ },
    { name: `a gzip bomb (${bomb.length} bytes inflating to 50 MB)`, headers: { ...JSON_TYPE, 'content-encoding': 'gzip' }, body: bomb, status: 413, reason: /after decompression/ },
    { name: 'a wrong content type', headers: { 'content-type': 'text/plain' }, body: validJson(), status: 415, reason: /unsupported content type "text\/plain"/ },
    { name: 'an unknown content encoding', headers: { ...JSON_TYPE, 'content-encoding': 'br' }, body: validJson(), status: 415, reason: /unsupported content encoding "br"/ },
    { name: 'a wrong path', headers: JSON_TYPE, body: validJson(), path: '/v1/metrics', status: 404, reason: /POST \/v1\/traces/ },
    { name: 'a wrong method', headers: {}, body: '', method: 'GET', status: 405, reason: /use POST/ },
  ];
  for (const c of cases) {
    it(`answers ${c.status} to ${c.name}, with a reason, and keeps serving`, async () => {
      const before = pusher.requests.length;
      const res = await send(port, c);
      assert.equal(res.status, c.status, res.body.toString());
      assert.equal(res.headers['content-type'], c.format ?? 'application/json');
      assert.match(statusOf(res).message, c.reason);
      if (c.status === 405) assert.equal(res.headers.allow, 'POST');
      assert.equal(pusher.requests.length, before, 'nothing was pushed');
      await assertStillServing();
    });
  }

  it('shrugs off a client that hangs up mid-body', async () => {
    const reported = errors.length;
    const socket = connect(port, '127.0.0.1');
    await new Promise<void>((resolve) => socket.on('connect', resolve));
    socket.write('POST /v1/traces HTTP/1.1\r\nhost: x\r\ncontent-type: application/json\r\ncontent-length: 1000\r\n\r\n{"resou');
    await new Promise((resolve) => setImmediate(resolve));
    socket.destroy();
    await assertStillServing();
    assert.equal(errors.length, reported, 'a hang-up is not an unexpected error');
  });

  it('answers 503 with Retry-After when the store is overloaded, 429 likewise, 500 otherwise', async () => {
    const table = [
      { error: new PushRejectedError('store is busy', { httpStatus: 503, retryAfterSeconds: 3 }), status: 503, retryAfter: '3', code: 14 },
      { error: new PushRejectedError('slow down', { httpStatus: 429 }), status: 429, retryAfter: '1', code: 8 },
      { error: Object.assign(new Error('disk full'), { grpcCode: 14 }), status: 503, retryAfter: '1', code: 14 },
      { error: new Error('boom'), status: 500, retryAfter: undefined, code: 13 },
    ];
    for (const row of table) {
      pusher.failWith(row.error);
      const res = await send(port, { headers: PROTOBUF, body: validProtobuf() });
      assert.equal(res.status, row.status);
      assert.equal(res.headers['retry-after'], row.retryAfter);
      const status = statusOf(res);
      assert.equal(status.code, row.code);
      assert.ok(status.message.includes(row.error.message));
    }
    pusher.failWith(undefined);
    assert.equal(errors.length, 1, 'only the unexpected error is reported');
    await assertStillServing();
  });
});

describe('OTLP/HTTP receiver with an auth token', () => {
  const pusher = createMemoryPusher();
  const receiver = createOtlpHttpReceiver({ port: 0, pusher, authToken: 's3cret', path: '/otlp/v1/traces' });
  let port = 0;
  before(async () => {
    port = (await receiver.start()).port;
  });
  after(() => receiver.stop());

  it('wants the token as a bearer or x-zeroscope-token', async () => {
    const post = (headers: Record<string, string>) => send(port, { path: '/otlp/v1/traces', headers: { ...JSON_TYPE, ...headers }, body: validJson() });
    assert.equal((await post({})).status, 401);
    assert.equal((await post({ authorization: 'Bearer wrong' })).status, 401);
    assert.equal((await post({ authorization: 'Bearer s3cret' })).status, 200);
    assert.equal((await post({ 'x-zeroscope-token': 's3cret' })).status, 200);
    assert.equal(pusher.requests.length, 2);
  });
});
