import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import * as grpc from '@grpc/grpc-js';
import { grpcExportCall, validProtobuf } from './testing/index.ts';
import { BodyBudget, createOtlpGrpcReceiver, type TracesPusher } from './index.ts';

const TRACE_PATH = '/opentelemetry.proto.collector.trace.v1.TraceService/Export';

describe('OTLP/gRPC admission: calls past the cap are refused before their message is read', () => {
  const waiting: Array<() => void> = [];
  let handled = 0;
  const pusher: TracesPusher = {
    push() {
      handled++;
      return new Promise<void>((resolve) => waiting.push(resolve));
    },
  };
  const budget = new BodyBudget(1024 * 1024);
  const receiver = createOtlpGrpcReceiver({ port: 0, pusher, bodyBudget: budget, limits: { maxGrpcCalls: 1 } });
  let client: grpc.Client;
  before(async () => {
    client = new grpc.Client(`127.0.0.1:${(await receiver.start()).port}`, grpc.credentials.createInsecure());
  });
  after(async () => {
    waiting.splice(0).forEach((resolve) => resolve());
    client.close();
    await receiver.stop();
  });

  it('answers UNAVAILABLE + RetryInfo while the admitted call is in flight, and admits again once it ends', async () => {
    const first = grpcExportCall(client, TRACE_PATH, validProtobuf('first'));
    for (let i = 0; i < 200 && waiting.length === 0; i++) await new Promise((resolve) => setTimeout(resolve, 5));
    const second = await grpcExportCall(client, TRACE_PATH, validProtobuf('second'));
    assert.equal(second.error?.code, grpc.status.UNAVAILABLE);
    assert.match(second.error?.details ?? '', /receivers busy/);
    assert.match(String(second.error?.metadata.get('grpc-status-details-bin')[0]), /google\.rpc\.RetryInfo/);
    assert.equal(handled, 1, 'the refused call never reached the handler');

    waiting.splice(0).forEach((resolve) => resolve());
    assert.equal((await first).error, null);
    const third = grpcExportCall(client, TRACE_PATH, validProtobuf('third'));
    for (let i = 0; i < 200 && waiting.length === 0; i++) await new Promise((resolve) => setTimeout(resolve, 5));
    waiting.splice(0).forEach((resolve) => resolve());
    assert.equal((await third).error, null);
    assert.equal(handled, 2);
  });

  it('frees the slot of a call its client cancels', async () => {
    const before = handled;
    const cancelled = client.makeUnaryRequest(TRACE_PATH, (b: Buffer) => b, (b: Buffer) => b, validProtobuf('cancelled'), new grpc.Metadata(), () => {});
    for (let i = 0; i < 200 && waiting.length === 0; i++) await new Promise((resolve) => setTimeout(resolve, 5));
    assert.equal(handled, before + 1);
    cancelled.cancel();
    // The cancelled call's push still runs (the store finishes what it took), but its slot is free.
    let next: Promise<{ error: grpc.ServiceError | null }> | undefined;
    for (let i = 0; i < 200 && handled === before + 1; i++) {
      next = grpcExportCall(client, TRACE_PATH, validProtobuf('after-cancel'));
      const answer = await Promise.race([next, new Promise((resolve) => setTimeout(resolve, 50, 'pending'))]);
      if (answer === 'pending') break;
    }
    assert.equal(handled, before + 2, 'a new call was admitted once the cancelled one left');
    waiting.splice(0).forEach((resolve) => resolve());
    assert.equal((await next!).error, null);
  });

  it('refuses at once while the body budget is spent', async () => {
    const hog = budget.open();
    hog.grow(budget.maxBytes);
    try {
      const refused = await grpcExportCall(client, TRACE_PATH, validProtobuf('while-full'));
      assert.equal(refused.error?.code, grpc.status.UNAVAILABLE);
    } finally {
      hog.release();
    }
    const after = grpcExportCall(client, TRACE_PATH, validProtobuf('after'));
    for (let i = 0; i < 200 && waiting.length === 0; i++) await new Promise((resolve) => setTimeout(resolve, 5));
    waiting.splice(0).forEach((resolve) => resolve());
    assert.equal((await after).error, null);
  });
});
