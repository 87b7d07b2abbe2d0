import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as grpc from '@grpc/grpc-js';
import { TRACE_EXPORT_PATH, otlpTypes } from '../otlp/index.ts';
import { PushRejectedError, createMemoryPusher, createOtlpGrpcReceiver } from './index.ts';
import { grpcClientOf, grpcExportCall, validProtobuf, type ExportCallResult } from './testing/index.ts';

describe('OTLP/gRPC receiver', () => {
  const pusher = createMemoryPusher();
  const receiver = createOtlpGrpcReceiver({ port: 0, pusher, limits: { maxBodyBytes: 64 * 1024 }, authToken: 'tok' });
  const client = grpcClientOf(receiver);

  function call(body: Buffer, token: string | undefined = 'tok'): Promise<ExportCallResult> {
    const metadata = new grpc.Metadata();
    if (token) metadata.set('authorization', `Bearer ${token}`);
    return grpcExportCall(client(), TRACE_EXPORT_PATH, body, metadata);
  }

  it('accepts an export and answers an empty ExportTraceServiceResponse', async () => {
    const { error, response } = await call(validProtobuf('grpc'));
    assert.equal(error, null);
    assert.equal(response!.length, 0);
    assert.equal(pusher.requests.at(-1)!.resourceSpans[0].scopeSpans[0].spans[0].name, 'grpc');
  });

  it('answers INVALID_ARGUMENT to garbage, with the reason, and keeps serving', async () => {
    const { error } = await call(Buffer.from('this is not protobuf at all'));
    assert.equal(error?.code, grpc.status.INVALID_ARGUMENT);
    assert.match(error!.details, /invalid OTLP protobuf payload/);
    assert.equal((await call(validProtobuf())).error, null);
  });

  it('answers RESOURCE_EXHAUSTED to a message over the limit', async () => {
    const { error } = await call(Buffer.alloc(100 * 1024));
    assert.equal(error?.code, grpc.status.RESOURCE_EXHAUSTED);
    assert.equal((await call(validProtobuf())).error, null);
  });

  it('applies the limit after gzip decompression (a small bomb is refused)', async () => {
    const { port } = await receiver.start();
    // 2 = gzip in grpc-js' compression algorithm enum.
    const gzipClient = new grpc.Client(`127.0.0.1:${port}`, grpc.credentials.createInsecure(), { 'grpc.default_compression_algorithm': 2 });
    try {
      const send = (body: Buffer) => {
        const metadata = new grpc.Metadata();
        metadata.set('x-zeroscope-token', 'tok');
        return grpcExportCall(gzipClient, TRACE_EXPORT_PATH, body, metadata);
      };
      assert.equal((await send(validProtobuf('gzipped'))).error, null);
      assert.equal(pusher.requests.at(-1)!.resourceSpans[0].scopeSpans[0].spans[0].name, 'gzipped');
      const { error } = await send(Buffer.alloc(1024 * 1024));
      assert.equal(error?.code, grpc.status.RESOURCE_EXHAUSTED);
    } finally {
      gzipClient.close();
    }
  });

  it('answers UNAUTHENTICATED without the token', async () => {
    assert.equal((await call(validProtobuf(), '')).error?.code, grpc.status.UNAUTHENTICATED);
    assert.equal((await call(validProtobuf(), 'nope')).error?.code, grpc.status.UNAUTHENTICATED);
  });

  it('maps overload to UNAVAILABLE / RESOURCE_EXHAUSTED with RetryInfo, other failures to INTERNAL', async () => {
    const table = [
      { error: new PushRejectedError('busy', { httpStatus: 503, retryAfterSeconds: 4 }), code: grpc.status.UNAVAILABLE, retry: 4 },
      { error: new PushRejectedError('slow down', { httpStatus: 429 }), code: grpc.status.RESOURCE_EXHAUSTED, retry: 1 },
      { error: new Error('boom'), code: grpc.status.INTERNAL, retry: undefined },
    ];
    for (const row of table) {
      pusher.failWith(row.error);
      const { error } = await call(validProtobuf());
      assert.equal(error?.code, row.code);
      assert.ok(error!.details.includes(row.error.message));
      const [details] = error!.metadata.get('grpc-status-details-bin') as Buffer[];
      if (row.retry === undefined) {
        assert.equal(details, undefined);
        continue;
      }
      const status = otlpTypes.RpcStatus.decode(details) as unknown as { code: number; details: { value: Uint8Array }[] };
      assert.equal(status.code, row.code);
      const retry = otlpTypes.RetryInfo.toObject(otlpTypes.RetryInfo.decode(status.details[0].value), { longs: Number });
      assert.equal(retry.retryDelay.seconds, row.retry);
    }
    pusher.failWith(undefined);
    assert.equal((await call(validProtobuf())).error, null);
  });
});
