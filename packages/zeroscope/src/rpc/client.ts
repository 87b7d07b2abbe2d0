import * as grpc from '@grpc/grpc-js';
import type { BreakerOptions } from './breaker/google-breaker.ts';
import { EndpointFeed } from './client/endpoint-feed.ts';
import { Router } from './client/router.ts';
import { bidiStreamCaller, clientStreamCaller, serverStreamCaller } from './client/stream-calls.ts';
import { unaryCaller } from './client/unary-call.ts';
import { waitReady } from './client/wait-ready.ts';
import { parseRpcConf, type RpcClientConf, type RpcClientConfInput, RpcClientConfSchema } from './config.ts';
import type { EndpointSource } from './endpoints.ts';
import { RpcError } from './errors.ts';
import { type GeneratedClient, type GeneratedService, resolveService } from './generated-service.ts';
import type { RpcService, ServiceClient } from './service.ts';

/** What every client has besides the service's methods. */
export interface RpcClientControl {
  /** The validated config, defaults filled in. */
  readonly conf: RpcClientConf;
  /** Resolves once some endpoint is READY; rejects (RPC_ERR_NOT_READY) after `timeoutMs` (default: Timeout). */
  ready(timeoutMs?: number): Promise<void>;
  /** Closes every channel and stops following the endpoint source. Later calls fail. */
  close(): void;
}

/**
 * A typed client of one service: its methods plus {@link RpcClientControl}. `RpcClient<typeof
 * UserService>` for a generated definition ({@link GeneratedClient}); `RpcClient<D, H>` for a
 * {@link RpcService} from loadService ({@link ServiceClient}).
 */
export type RpcClient<D, H = never> = ([H] extends [never] ? GeneratedClient<D> : ServiceClient<D, H>) & RpcClientControl;

/** Options of a client that are not part of its config. */
export interface RpcClientOptions {
  /** Where to find servers instead of `Endpoints`/`Etcd`/`Target` (tests, hand-made discovery). */
  endpoints?: EndpointSource;
  /** Tuning of the client's breakers (window, K…); go-zero's defaults otherwise. */
  breaker?: BreakerOptions;
}

const CONTROL_NAMES = new Set(['conf', 'ready', 'close']);

/**
 * A typed client of `service` (go-zero's zrpc.NewClient, non-blocking). One channel per endpoint
 * (from `Endpoints`, or every instance registered under the `Etcd` key), calls spread over the
 * READY ones by the `Balancer` (p2c or round robin); when none is READY a call waits, within its
 * deadline, for a channel to connect instead of failing at once. Each method has a breaker. Unary methods return promises
 * that reject with `RpcStatusError`; server-streaming ones return a `ResponseStream`.
 *
 * @example
 *   const users = createClient(UserService, { Endpoints: ['127.0.0.1:8080'] });
 *   const user = await users.getUser({ id: '1' });
 *   for await (const order of users.listOrders({ userId: '1' })) console.log(order.id);
 *   users.close();
 * @throws RpcConfigError when `conf` does not match RpcClientConfSchema.
 */
export function createClient<D extends grpc.ServiceDefinition, H extends grpc.UntypedServiceImplementation>(
  service: RpcService<D, H>,
  conf: RpcClientConfInput,
  options?: RpcClientOptions,
): RpcClient<D, H>;
export function createClient<D extends GeneratedService>(service: D, conf: RpcClientConfInput, options?: RpcClientOptions): RpcClient<D>;
export function createClient(
  given: RpcService<grpc.ServiceDefinition, grpc.UntypedServiceImplementation> | GeneratedService,
  conf: RpcClientConfInput,
  options: RpcClientOptions = {},
): RpcClientControl {
  const service = resolveService(given);
  const parsed = parseRpcConf(RpcClientConfSchema, conf, `rpc client (${service.name})`);
  const router = new Router(service.name, parsed, options.breaker);
  const feed = new EndpointFeed(router.balancer, parsed, options.endpoints);

  const client: Record<string, unknown> = {};
  for (const [name, def] of Object.entries(service.definition) as [string, grpc.MethodDefinition<unknown, unknown>][]) {
    if (CONTROL_NAMES.has(name)) {
      throw new RpcError('RPC_ERR_UNSUPPORTED_METHOD', grpc.status.UNIMPLEMENTED, `${service.name}/${name} clashes with a client method`);
    }
    if (def.requestStream) client[name] = def.responseStream ? bidiStreamCaller(router, feed, def) : clientStreamCaller(router, feed, def);
    else client[name] = def.responseStream ? serverStreamCaller(router, feed, def) : unaryCaller(router, feed, def, parsed.Retry);
  }

  let closed = false;
  const control: RpcClientControl = {
    conf: parsed,
    async ready(timeoutMs = parsed.Timeout) {
      const started = Date.now();
      await feed.firstList(timeoutMs);
      await waitReady(router.balancer, service.name, Math.max(0, timeoutMs - (Date.now() - started)));
    },
    close() {
      if (closed) return;
      closed = true;
      feed.close();
      router.close();
    },
  };
  Object.assign(client, control);
  return client as unknown as RpcClientControl;
}

/**
 * Like {@link createClient}, but honours `NonBlock: false` as go-zero does: waits until an
 * endpoint is READY (at most `Timeout`) and fails with RPC_ERR_NOT_READY otherwise.
 */
export async function dialClient<D extends grpc.ServiceDefinition, H extends grpc.UntypedServiceImplementation>(
  service: RpcService<D, H>,
  conf: RpcClientConfInput,
  options?: RpcClientOptions,
): Promise<RpcClient<D, H>>;
export async function dialClient<D extends GeneratedService>(service: D, conf: RpcClientConfInput, options?: RpcClientOptions): Promise<RpcClient<D>>;
export async function dialClient(
  service: RpcService<grpc.ServiceDefinition, grpc.UntypedServiceImplementation> | GeneratedService,
  conf: RpcClientConfInput,
  options: RpcClientOptions = {},
): Promise<RpcClientControl> {
  const client = createClient(service as GeneratedService, conf, options);
  if (!client.conf.NonBlock) {
    try {
      await client.ready();
    } catch (err) {
      client.close();
      throw err;
    }
  }
  return client;
}
