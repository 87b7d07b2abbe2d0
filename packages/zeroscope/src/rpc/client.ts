import * as grpc from '@grpc/grpc-js';
import { type Context, context } from '@opentelemetry/api';
import { Balancer, createPicker } from './balancer/balancer.ts';
import { Breakers } from './breaker/breakers.ts';
import type { BreakerOptions } from './breaker/google-breaker.ts';
import { buildClientMiddlewares } from './client-chain.ts';
import { parseRpcConf, type RpcClientConf, type RpcClientConfInput, RpcClientConfSchema } from './config.ts';
import { EtcdEndpoints } from './discov/etcd-endpoints.ts';
import { type EndpointSource, StaticEndpoints } from './endpoints.ts';
import { RpcError, RpcStatusError } from './errors.ts';
import { parseServerAddress } from './internal/address.ts';
import { beginCall, CallWatches, type ClientCall, type ClientMiddleware, interceptorsOf, type RetryAttempt } from './internal/client-call.ts';
import { type GeneratedClient, type GeneratedService, type RequestSource, resolveService } from './generated-service.ts';
import type { CallOptions, ResponseStream, RpcService, ServiceClient } from './service.ts';

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

// A restarted server should be found again within seconds, not grpc's default of up to 2 minutes.
const CHANNEL_OPTIONS: grpc.ChannelOptions = { 'grpc.max_reconnect_backoff_ms': 5000 };
// A Target may resolve to many addresses: spread calls over them as Endpoints would be.
const TARGET_CHANNEL_OPTIONS: grpc.ChannelOptions = {
  ...CHANNEL_OPTIONS,
  'grpc.service_config': JSON.stringify({ loadBalancingConfig: [{ round_robin: {} }] }),
};
const CONTROL_NAMES = new Set(['conf', 'ready', 'close']);

/** A channel's middlewares: run directly for unary calls, as one interceptor for streams. */
interface ChannelChain {
  middlewares: readonly ClientMiddleware[];
  interceptors: grpc.Interceptor[];
}

/**
 * A typed client of `service` (go-zero's zrpc.NewClient, non-blocking). One channel per endpoint
 * (from `Endpoints`, or every instance registered under the `Etcd` key), calls spread over the
 * READY ones by the `Balancer` (p2c or round robin); when none is READY a call waits, within its
 * deadline, for a channel to connect instead of failing at once. Each method has a breaker. Unary methods return promises
 * that reject with {@link RpcStatusError}; server-streaming ones return a {@link ResponseStream}.
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
  const isTarget = parsed.Target !== undefined;
  const breakers = { breakers: new Breakers(options.breaker), target: clientTarget(parsed) };
  // Per channel, because the CLIENT span names the endpoint the channel dials.
  const chains = new WeakMap<grpc.Client, ChannelChain>();
  const balancer = new Balancer((address) => {
    const middlewares = buildClientMiddlewares(parsed, parseServerAddress(address), breakers);
    const client = new grpc.Client(address, grpc.credentials.createInsecure(), isTarget ? TARGET_CHANNEL_OPTIONS : CHANNEL_OPTIONS);
    chains.set(client, { middlewares, interceptors: interceptorsOf(middlewares) });
    return client;
  }, createPicker(parsed.Balancer));
  const ownSource = options.endpoints === undefined;
  const source: EndpointSource =
    options.endpoints ??
    (parsed.Etcd !== undefined ? new EtcdEndpoints(parsed.Etcd) : new StaticEndpoints(parsed.Endpoints ?? [parsed.Target ?? '']));
  let closed = false;
  const unsubscribe = source.subscribe((endpoints) => {
    if (!closed) balancer.update(endpoints);
  });
  // Until an asynchronous source (etcd) has its first list, calls wait for it instead of failing.
  let loading: Promise<void> | undefined = source.loaded?.().then(() => {
    loading = undefined;
  });

  /** Resolves once the first endpoint list is known, or after `waitMs` (0: no limit). */
  function firstList(waitMs: number | undefined): Promise<void> | undefined {
    if (loading === undefined || balancer.all().length > 0) return undefined;
    if (!waitMs) return loading;
    return Promise.race([loading, new Promise<void>((resolve) => setTimeout(resolve, waitMs).unref())]);
  }

  /** Picks a channel and builds the call's options and metadata, or the error to fail the call with. */
  function route(callOptions: CallOptions | undefined, retryOf?: string): Routed | RpcError {
    if (closed) return new RpcError('RPC_ERR_CLIENT_CLOSED', grpc.status.CANCELLED, `${service.name} client is closed`);
    const picked = retryOf === undefined ? balancer.pick() : balancer.pickOther(retryOf);
    if (picked === undefined) {
      return new RpcError('RPC_ERR_NO_ENDPOINTS', grpc.status.UNAVAILABLE, `${service.name}: no endpoints`);
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
    return { client, address: picked.connection.address, chain: chains.get(client) ?? NO_CHAIN, options, metadata, done: picked.done };
  }

  const client: Record<string, unknown> = {};
  for (const [name, def] of Object.entries(service.definition) as [string, grpc.MethodDefinition<unknown, unknown>][]) {
    if (CONTROL_NAMES.has(name)) {
      throw new RpcError('RPC_ERR_UNSUPPORTED_METHOD', grpc.status.UNIMPLEMENTED, `${service.name}/${name} clashes with a client method`);
    }
    if (def.requestStream) {
      client[name] = def.responseStream ? bidiCaller(def) : clientStreamCaller(def);
      continue;
    }
    client[name] = def.responseStream
      ? function callServerStream(request: unknown, callOptions?: CallOptions): ResponseStream<unknown> {
          const open = (): ResponseStream<unknown> => {
            const routed = route(callOptions);
            if (routed instanceof RpcError) return failedStream(routed);
            const call = routed.client.makeServerStreamRequest(
              def.path,
              def.requestSerialize,
              def.responseDeserialize,
              request,
              routed.metadata,
              { ...routed.options, interceptors: routed.chain.interceptors },
            );
            call.on('status', (s: grpc.StatusObject) => routed.done(s.code));
            return responseStream(call);
          };
          const waiting = firstList(callOptions?.timeoutMs ?? parsed.Timeout);
          return waiting === undefined ? open() : deferredStream(waiting, open);
        }
      : function callUnary(request: unknown, callOptions?: CallOptions): Promise<unknown> {
          const waiting = firstList(callOptions?.timeoutMs ?? parsed.Timeout);
          // No closure per call unless the call has to wait for the first endpoint list.
          return waiting === undefined
            ? sendUnary(def, request, callOptions)
            : waiting.then(() => sendUnary(def, request, callOptions));
        };
  }

  /**
   * Sends one unary call on the picked channel, its middlewares run around it directly (no
   * grpc-js interceptor layers); the promise is the call's only one. With `Retry`, a call that
   * failed UNAVAILABLE before the server answered anything is sent once more on another READY
   * instance, within the same deadline (see {@link shouldRetry}).
   */
  function sendUnary(def: grpc.MethodDefinition<unknown, unknown>, request: unknown, callOptions: CallOptions | undefined): Promise<unknown> {
    return new Promise((resolve, reject) => attemptUnary(def, request, callOptions, undefined, resolve, reject));
  }

  function attemptUnary(
    def: grpc.MethodDefinition<unknown, unknown>,
    request: unknown,
    callOptions: CallOptions | undefined,
    retry: PendingRetry | undefined,
    resolve: (reply: unknown) => void,
    reject: (err: unknown) => void,
  ): void {
    const routed = route(callOptions, retry?.attempt.previousServer);
    if (routed instanceof RpcError) {
      // No other instance to retry on: the caller gets the first attempt's failure.
      reject(retry?.failure ?? routed);
      return;
    }
    const callerContext = retry?.callerContext ?? context.active();
    const call: ClientCall = { path: def.path, deadline: retry?.deadline ?? routed.options.deadline, context: callerContext };
    if (retry) call.retry = retry.attempt;
    const watches = beginCall(routed.chain.middlewares, call);
    if (!(watches instanceof CallWatches)) {
      // Refused before the wire (the breaker): the balancer still hears the end of what it picked.
      routed.done(watches.refused.code);
      reject(new RpcStatusError(watches.refused.code, watches.refused.details));
      return;
    }
    watches.sending(routed.metadata);
    const done = routed.done;
    // Response headers or a message commit the call (gRPC's retry rule): it is not retried after.
    let answered = false;
    const unary = routed.client.makeUnaryRequest(
      def.path,
      def.requestSerialize,
      def.responseDeserialize,
      request,
      routed.metadata,
      call.deadline === undefined ? routed.options : { deadline: call.deadline },
      // grpc-js calls back exactly once, when the status arrives (just before its 'status'
      // event): tell the balancer and the middlewares here rather than through listeners.
      (err, reply) => {
        if (err) {
          done(err.code);
          watches.end(err);
          if (retry === undefined && shouldRetry(parsed.Retry, err, answered, call.deadline)) {
            const attempt: RetryAttempt = { previousAttempts: 1, previousServer: routed.address, status: { code: err.code, details: err.details } };
            const next: PendingRetry = { attempt, callerContext, deadline: call.deadline, failure: toStatusError(err) };
            attemptUnary(def, request, callOptions, next, resolve, reject);
            return;
          }
          reject(toStatusError(err));
        } else {
          done(grpc.status.OK);
          watches.received();
          watches.end(OK_STATUS);
          resolve(reply);
        }
      },
    );
    if (parsed.Retry && retry === undefined) unary.once('metadata', () => (answered = true));
    watches.sent();
  }

  /** Client-streaming: writes every request of the source, resolves with the one reply. */
  function clientStreamCaller(def: grpc.MethodDefinition<unknown, unknown>) {
    return function callClientStream(requests: RequestSource<unknown>, callOptions?: CallOptions): Promise<unknown> {
      const open = () =>
        new Promise<unknown>((resolve, reject) => {
          const routed = route(callOptions);
          if (routed instanceof RpcError) {
            reject(routed);
            return;
          }
          const call = routed.client.makeClientStreamRequest(
            def.path,
            def.requestSerialize,
            def.responseDeserialize,
            routed.metadata,
            { ...routed.options, interceptors: routed.chain.interceptors },
            (err, reply) => (err ? reject(toStatusError(err)) : resolve(reply)),
          );
          call.on('status', (s: grpc.StatusObject) => routed.done(s.code));
          // A source that throws cancels the call; the caller gets the source's error.
          void writeAll(call, requests).catch((err: unknown) => reject(err));
        });
      const waiting = firstList(callOptions?.timeoutMs ?? parsed.Timeout);
      return waiting === undefined ? open() : waiting.then(open);
    };
  }

  /** Bidi: writes the source's requests while the replies are read from the returned stream. */
  function bidiCaller(def: grpc.MethodDefinition<unknown, unknown>) {
    return function callBidiStream(requests: RequestSource<unknown>, callOptions?: CallOptions): ResponseStream<unknown> {
      const open = (): ResponseStream<unknown> => {
        const routed = route(callOptions);
        if (routed instanceof RpcError) return failedStream(routed);
        const call = routed.client.makeBidiStreamRequest(def.path, def.requestSerialize, def.responseDeserialize, routed.metadata, {
          ...routed.options,
          interceptors: routed.chain.interceptors,
        });
        call.on('status', (s: grpc.StatusObject) => routed.done(s.code));
        const failure: { error?: unknown } = {};
        void writeAll(call, requests).catch((err: unknown) => {
          failure.error = err;
        });
        return responseStream(call, failure);
      };
      const waiting = firstList(callOptions?.timeoutMs ?? parsed.Timeout);
      return waiting === undefined ? open() : deferredStream(waiting, open);
    };
  }

  const control: RpcClientControl = {
    conf: parsed,
    async ready(timeoutMs = parsed.Timeout) {
      const started = Date.now();
      await firstList(timeoutMs);
      await waitReady(balancer, service.name, Math.max(0, timeoutMs - (Date.now() - started)));
    },
    close() {
      if (closed) return;
      closed = true;
      unsubscribe();
      balancer.close();
      if (ownSource) void source.close?.();
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

/** A picked channel and what a call on it needs. */
interface Routed {
  client: grpc.Client;
  /** The endpoint it dials. */
  address: string;
  chain: ChannelChain;
  options: grpc.CallOptions;
  metadata: grpc.Metadata;
  done: (code: grpc.status) => void;
}

/** What the second attempt of a retried call carries over from the first. */
interface PendingRetry {
  attempt: RetryAttempt;
  /** The caller's context, so both attempts' CLIENT spans are children of the caller's span. */
  callerContext: Context;
  /** The first attempt's deadline: a retry does not extend the caller's budget. */
  deadline: grpc.Deadline | undefined;
  /** What the caller gets if there is no other instance to retry on. */
  failure: RpcStatusError;
}

/**
 * Whether a failed unary attempt may be sent again elsewhere: `Retry` is on, it failed UNAVAILABLE
 * (the connection broke or could not be used) before the server sent response headers or a
 * message, and its deadline has not passed. gRPC's retry policy draws the same line: a call is
 * committed once the server answered.
 */
export function shouldRetry(enabled: boolean, err: grpc.ServiceError, answered: boolean, deadline: grpc.Deadline | undefined): boolean {
  if (!enabled || answered || err.code !== grpc.status.UNAVAILABLE) return false;
  const at = deadline instanceof Date ? deadline.getTime() : deadline;
  return at === undefined || at > Date.now();
}

const NO_CHAIN: ChannelChain = { middlewares: [], interceptors: [] };
const OK_STATUS = { code: grpc.status.OK, details: 'OK' };

function toStatusError(err: grpc.ServiceError): RpcStatusError {
  return new RpcStatusError(err.code, err.details, { metadata: err.metadata, cause: err });
}

/**
 * Writes each request of `requests` to a client-streaming or bidi call with back-pressure, then
 * half-closes. Stops once the call has its status; a source that throws cancels the call.
 */
async function writeAll(call: grpc.ClientWritableStream<unknown> | grpc.ClientDuplexStream<unknown, unknown>, requests: RequestSource<unknown>): Promise<void> {
  let ended = false;
  call.once('status', () => {
    ended = true;
  });
  try {
    for await (const request of requests) {
      if (ended) return;
      if (!call.write(request)) await new Promise<void>((resolve) => {
        const done = () => {
          call.off('drain', done);
          call.off('status', done);
          resolve();
        };
        call.on('drain', done);
        call.on('status', done);
      });
    }
  } catch (err) {
    call.cancel();
    throw err;
  }
  if (!ended) call.end();
}

/**
 * Re-types grpc-js's stream and turns its errors into RpcStatusError; leaving the loop early
 * cancels the call. `failure.error`, when set (a bidi request source threw), is thrown instead of
 * the CANCELLED it caused.
 */
function responseStream(call: grpc.ClientReadableStream<unknown>, failure?: { error?: unknown }): ResponseStream<unknown> {
  return {
    cancel: () => call.cancel(),
    async *[Symbol.asyncIterator]() {
      let settled = false;
      try {
        for await (const message of call) yield message;
        settled = true;
      } catch (err) {
        settled = true;
        if (failure?.error !== undefined) throw failure.error;
        throw typeof (err as grpc.ServiceError).code === 'number' ? toStatusError(err as grpc.ServiceError) : err;
      } finally {
        if (!settled) call.cancel();
      }
    },
  };
}

/** How breaker names start (go-zero uses the dial target): the etcd Key, the Target, or the Endpoints. */
function clientTarget(conf: RpcClientConf): string {
  if (conf.Etcd !== undefined) return conf.Etcd.Key;
  return conf.Target ?? (conf.Endpoints ?? []).join(',');
}

/** A stream opened once `ready` settles (the first endpoint list); cancelling before that skips it. */
function deferredStream(ready: Promise<void>, open: () => ResponseStream<unknown>): ResponseStream<unknown> {
  let inner: ResponseStream<unknown> | undefined;
  let cancelled = false;
  return {
    cancel() {
      cancelled = true;
      inner?.cancel();
    },
    async *[Symbol.asyncIterator]() {
      await ready;
      if (cancelled) throw new RpcStatusError(grpc.status.CANCELLED, 'Cancelled on client');
      inner = open();
      yield* inner;
    },
  };
}

function failedStream(err: RpcError): ResponseStream<unknown> {
  return {
    cancel() {},
    async *[Symbol.asyncIterator]() {
      throw err;
    },
  };
}

function waitReady(balancer: Balancer, name: string, timeoutMs: number): Promise<void> {
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
