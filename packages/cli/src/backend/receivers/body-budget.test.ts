import assert from 'node:assert/strict';
import { once } from 'node:events';
import { connect } from 'node:net';
import { after, before, describe, it } from 'node:test';
import * as grpc from '@grpc/grpc-js';
import { protobufRequest } from '../otlp/testing/trace-builder.ts';
import { BodyBudget } from './body-budget.ts';
import { createOtlpGrpcReceiver, createOtlpHttpReceiver, ReceiversBusyError, type TracesPusher } from './index.ts';
import { grpcExportCall, send } from './testing/index.ts';

const TRACE_PATH = '/opentelemetry.proto.collector.trace.v1.TraceService/Export';
const KB = 1024;

/** An OTLP protobuf export of about `kb` KB (one span carrying a large attribute). */
function body(kb: number, n: number): Buffer {
  const now = BigInt(Date.now()) * 1_000_000n;
  const spans = [{ traceId: new Uint8Array(16).fill(n), spanId: new Uint8Array(8).fill(1), name: 'op', start: now, end: now + 1000n, attributes: { blob: 'x'.repeat(kb * KB) } }];
  return Buffer.from(protobufRequest([{ service: 's', spans }]));
}

/** A pusher whose pushes wait until the test lets them through. */
function heldPusher() {
  const waiting: Array<() => void> = [];
  const pusher: TracesPusher = { push: () => new Promise<void>((resolve) => waiting.push(resolve)) };
  return { pusher, waiting: () => waiting.length, releaseAll: () => waiting.splice(0).forEach((resolve) => resolve()) };
}

async function until(check: () => boolean): Promise<void> {
  for (let i = 0; i < 500 && !check(); i++) await new Promise((resolve) => setTimeout(resolve, 5));
  assert.ok(check(), 'condition reached');
}

describe('BodyBudget', () => {
  it('holds what reservations grow to, refuses past the budget unless the request is alone, and gives back on release', () => {
    const budget = new BodyBudget(100);
    const a = budget.open();
    a.grow(150); // alone: let in, even past the budget
    assert.equal(budget.held(), 150);
    const b = budget.open();
    assert.throws(() => b.grow(1), ReceiversBusyError);
    a.release();
    a.release(); // twice is harmless
    assert.equal(budget.held(), 0);
    b.grow(60);
    const c = budget.open();
    c.grow(40);
    assert.throws(() => c.grow(41), (err: unknown) => err instanceof ReceiversBusyError && err.httpStatus === 503 && err.retryAfterSeconds === 1);
    b.release();
    c.release();
    assert.equal(budget.held(), 0);
  });
});

describe('receivers under a body budget (shared by OTLP/HTTP and OTLP/gRPC)', () => {
  const budget = new BodyBudget(1024 * KB);
  const held = heldPusher();
  const http = createOtlpHttpReceiver({ port: 0, pusher: held.pusher, bodyBudget: budget });
  const grpcReceiver = createOtlpGrpcReceiver({ port: 0, pusher: held.pusher, bodyBudget: budget });
  let httpPort = 0;
  let client: grpc.Client;
  before(async () => {
    httpPort = (await http.start()).port;
    client = new grpc.Client(`127.0.0.1:${(await grpcReceiver.start()).port}`, grpc.credentials.createInsecure());
  });
  after(async () => {
    held.releaseAll();
    client.close();
    await Promise.all([http.stop(), grpcReceiver.stop()]);
  });
  const post = (payload: Buffer, chunked = false) => send(httpPort, { headers: { 'content-type': 'application/x-protobuf' }, body: payload, chunked });

  it('refuses bodies past the budget with 503 + Retry-After (gRPC UNAVAILABLE + RetryInfo) while others are held, and takes them once those are stored', async () => {
    const first = post(body(700, 1));
    await until(() => held.waiting() === 1);
    assert.ok(budget.held() >= 700 * KB);

    const declared = await post(body(700, 2));
    assert.equal(declared.status, 503);
    assert.equal(declared.headers['retry-after'], '1');
    const chunked = await post(body(700, 3), true);
    assert.equal(chunked.status, 503, 'refused as it grows past the budget');
    const overGrpc = await grpcExportCall(client, TRACE_PATH, body(700, 4));
    assert.equal(overGrpc.error?.code, grpc.status.UNAVAILABLE);
    assert.match(String(overGrpc.error?.metadata.get('grpc-status-details-bin')[0]), /google\.rpc\.RetryInfo/);
    assert.match(overGrpc.error?.details ?? '', /receivers busy/);
    assert.equal(held.waiting(), 1, 'nothing refused reached the store');

    held.releaseAll();
    assert.equal((await first).status, 200);
    assert.equal(budget.held(), 0, 'a stored request gives its bytes back');
    const later = post(body(700, 5));
    await until(() => held.waiting() === 1);
    held.releaseAll();
    assert.equal((await later).status, 200);
  });

  it('gives back what a request held when its client goes away mid-body', async () => {
    const payload = body(600, 7);
    const socket = connect(httpPort, '127.0.0.1');
    await once(socket, 'connect');
    socket.write(`POST /v1/traces HTTP/1.1\r\nhost: 127.0.0.1\r\ncontent-type: application/x-protobuf\r\ncontent-length: ${payload.length}\r\n\r\n`);
    socket.write(payload.subarray(0, 100 * KB));
    await until(() => budget.held() > 0);
    socket.destroy();
    await until(() => budget.held() === 0);
    assert.equal(held.waiting(), 0, 'nothing reached the store');
  });

  it('lets a body larger than the budget in when nothing else is held', async () => {
    const big = post(body(1500, 6));
    await until(() => held.waiting() === 1);
    held.releaseAll();
    assert.equal((await big).status, 200);
    assert.equal(budget.held(), 0);
  });
});
