import * as grpc from '@grpc/grpc-js';
import { Balancer, createPicker } from '../balancer/balancer.ts';
import { Breakers } from '../breaker/breakers.ts';
import type { BreakerOptions } from '../breaker/google-breaker.ts';
import { buildClientMiddlewares } from '../client-chain.ts';
import type { RpcClientConf } from '../config.ts';
import { RpcError } from '../errors.ts';
import { parseServerAddress } from '../internal/address.ts';
import { type ClientMiddleware, interceptorsOf } from '../internal/client-call.ts';
import type { CallOptions } from '../service.ts';

// A restarted server should be found again within seconds, not grpc's default of up to 2 minutes.
const CHANNEL_OPTIONS: grpc.ChannelOptions = { 'grpc.max_reconnect_backoff_ms': 5000 };
// A Target may resolve to many addresses: spread calls over them as Endpoints would be.
const TARGET_CHANNEL_OPTIONS: grpc.ChannelOptions = {
  ...CHANNEL_OPTIONS,
  'grpc.service_config': JSON.stringify({ loadBalancingConfig: [{ round_robin: {} }] }),
};

/** A channel's middlewares: run directly for unary calls, as one interceptor for streams. */
export interface ChannelChain {
  middlewares: readonly ClientMiddleware[];
  interceptors: grpc.Interceptor[];
}

const NO_CHAIN: ChannelChain = { middlewares: [], interceptors: [] };

/** A picked channel and what a call on it needs. */
export interface Routed {
  client: grpc.Client;
  /** The endpoint it dials. */
  address: string;
  chain: ChannelChain;
  options: grpc.CallOptions;
  metadata: grpc.Metadata;
  /** Tells the balancer how the call ended. */
  done: (code: grpc.status) => void;
}

/**
 * Routing of one client's calls: one channel per endpoint (each with its own middleware chain,
 * because the CLIENT span names the endpoint the channel dials; the breakers are shared), and for
 * each call the channel the balancer picks, with the call's options and metadata.
 */
export class Router {
  readonly balancer: Balancer;
  private closed = false;

  constructor(
    private readonly serviceName: string,
    conf: RpcClientConf,
    breakerOptions: BreakerOptions | undefined,
  ) {
    const isTarget = conf.Target !== undefined;
    const breakers = { breakers: new Breakers(breakerOptions), target: breakerTarget(conf) };
    const chains = new WeakMap<grpc.Client, ChannelChain>();
    this.balancer = new Balancer((address) => {
      const middlewares = buildClientMiddlewares(conf, parseServerAddress(address), breakers);
      const client = new grpc.Client(address, grpc.credentials.createInsecure(), isTarget ? TARGET_CHANNEL_OPTIONS : CHANNEL_OPTIONS);
      chains.set(client, { middlewares, interceptors: interceptorsOf(middlewares) });
      return client;
    }, createPicker(conf.Balancer));
    this.chainOf = (client) => chains.get(client) ?? NO_CHAIN;
  }

  private readonly chainOf: (client: grpc.Client) => ChannelChain;

  /**
   * Picks a channel (another READY one than `retryOf`'s, for a retry) and builds the call's
   * options and metadata, or the error to fail the call with.
   */
  route(callOptions: CallOptions | undefined, retryOf?: string): Routed | RpcError {
    if (this.closed) return new RpcError('RPC_ERR_CLIENT_CLOSED', grpc.status.CANCELLED, `${this.serviceName} client is closed`);
    const picked = retryOf === undefined ? this.balancer.pick() : this.balancer.pickOther(retryOf);
    if (picked === undefined) {
      return new RpcError('RPC_ERR_NO_ENDPOINTS', grpc.status.UNAVAILABLE, `${this.serviceName}: no endpoints`);
    }
    const options: grpc.CallOptions = {};
    if (callOptions?.timeoutMs !== undefined) options.deadline = Date.now() + callOptions.timeoutMs;
    // A copy: middlewares write trace context into it, and the caller may reuse theirs.
    const metadata = callOptions?.metadata?.clone() ?? new grpc.Metadata();
    if (!picked.ready) {
      // Nothing is READY: wait (within the deadline) for the channel rather than fail at once
      // while it backs off, so a restarting server is ridden out. grpc-js reads it from metadata.
      metadata.setOptions({ ...metadata.getOptions(), waitForReady: true });
    }
    const client = picked.connection.client;
    return { client, address: picked.connection.address, chain: this.chainOf(client), options, metadata, done: picked.done };
  }

  /** Closes every channel; later calls fail with RPC_ERR_CLIENT_CLOSED. */
  close(): void {
    this.closed = true;
    this.balancer.close();
  }
}

/** How breaker names start (go-zero uses the dial target): the etcd Key, the Target, or the Endpoints. */
function breakerTarget(conf: RpcClientConf): string {
  if (conf.Etcd !== undefined) return conf.Etcd.Key;
  return conf.Target ?? (conf.Endpoints ?? []).join(',');
}
