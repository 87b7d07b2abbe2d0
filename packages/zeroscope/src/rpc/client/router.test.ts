import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import * as grpc from '@grpc/grpc-js';
import { RpcClientConfSchema } from '../config.ts';
import { RpcError } from '../errors.ts';
import { Router } from './router.ts';

const conf = RpcClientConfSchema.parse({ Endpoints: ['127.0.0.1:1'], Middlewares: { Trace: false } });

describe('Router: picking a channel for each call', () => {
  test('no endpoints: RPC_ERR_NO_ENDPOINTS; a closed router: RPC_ERR_CLIENT_CLOSED', () => {
    const router = new Router('echo.Echo', conf, undefined);
    const none = router.route(undefined);
    assert.ok(none instanceof RpcError && none.code === 'RPC_ERR_NO_ENDPOINTS' && none.grpcCode === grpc.status.UNAVAILABLE);
    router.balancer.update(['127.0.0.1:1']);
    router.close();
    const closed = router.route(undefined);
    assert.ok(closed instanceof RpcError && closed.code === 'RPC_ERR_CLIENT_CLOSED' && closed.grpcCode === grpc.status.CANCELLED);
  });

  test('a call on a channel that is not READY waits for it; its metadata is a copy and its deadline comes from timeoutMs', (t) => {
    const router = new Router('echo.Echo', conf, undefined);
    t.after(() => router.close());
    router.balancer.update(['127.0.0.1:1']); // nothing listens there: never READY
    const metadata = new grpc.Metadata();
    metadata.set('k', 'v');
    const before = Date.now();
    const routed = router.route({ timeoutMs: 500, metadata });
    assert.ok(!(routed instanceof RpcError));
    assert.equal(routed.address, '127.0.0.1:1');
    assert.equal(routed.metadata.getOptions().waitForReady, true);
    assert.notEqual(routed.metadata, metadata);
    assert.deepEqual(routed.metadata.get('k'), ['v']);
    assert.ok(typeof routed.options.deadline === 'number' && routed.options.deadline >= before + 500);
    assert.equal(routed.chain.middlewares.length, 4, 'the channel has its own chain (Duration, Metrics, Breaker, Timeout)');
  });

  test('a retry needs another READY channel than the failed one', (t) => {
    const router = new Router('echo.Echo', conf, undefined);
    t.after(() => router.close());
    router.balancer.update(['127.0.0.1:1']);
    const retried = router.route(undefined, '127.0.0.1:1');
    assert.ok(retried instanceof RpcError && retried.code === 'RPC_ERR_NO_ENDPOINTS');
  });
});
