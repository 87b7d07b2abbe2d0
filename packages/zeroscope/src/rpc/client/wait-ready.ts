import * as grpc from '@grpc/grpc-js';
import type { Balancer } from '../balancer/balancer.ts';
import { RpcError } from '../errors.ts';

/** Resolves once some channel of `balancer` is READY; rejects with RPC_ERR_NOT_READY after `timeoutMs`. */
export function waitReady(balancer: Balancer, name: string, timeoutMs: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const deadline = Date.now() + timeoutMs;
    let done = false;
    const timer = setTimeout(() => {
      done = true;
      reject(new RpcError('RPC_ERR_NOT_READY', grpc.status.UNAVAILABLE, `${name}: no endpoint READY within ${timeoutMs}ms`));
    }, timeoutMs);
    const watch = (channel: ReturnType<grpc.Client['getChannel']>): void => {
      if (done) return;
      const state = channel.getConnectivityState(true);
      if (state === grpc.connectivityState.READY) {
        done = true;
        clearTimeout(timer);
        resolve();
        return;
      }
      if (state === grpc.connectivityState.SHUTDOWN) return;
      channel.watchConnectivityState(state, deadline, (err) => {
        if (err === undefined) watch(channel);
      });
    };
    for (const connection of balancer.all()) watch(connection.client.getChannel());
  });
}
