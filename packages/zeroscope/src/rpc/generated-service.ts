/**
 * Services as `zeroscope gen rpc` writes them (ts-proto with `outputServices=grpc-js`): a plain
 * grpc-js service definition whose methods carry their message types in their codecs and their
 * kind in literal `requestStream`/`responseStream` flags. `createClient` and
 * `RpcServer.addService` take such a definition as it is; nothing loads a .proto at run time.
 */
import { status } from '@grpc/grpc-js';
import type * as grpc from '@grpc/grpc-js';
import { RpcError } from './errors.ts';
import type { CallOptions, ResponseStream, RpcService, ServerStreamingMethod, UnaryMethod } from './service.ts';

/** One method of a generated definition: its path, its kind and its typed codecs. */
export interface GeneratedMethod<Req = any, Res = any> {
  readonly path: string;
  readonly requestStream: boolean;
  readonly responseStream: boolean;
  readonly requestSerialize: (value: Req) => Buffer;
  readonly requestDeserialize: (bytes: Buffer) => Req;
  readonly responseSerialize: (value: Res) => Buffer;
  readonly responseDeserialize: (bytes: Buffer) => Res;
}

/** A generated service definition, e.g. `UserService` from `pb/user.ts`. */
export type GeneratedService = { readonly [method: string]: GeneratedMethod };

/** What a client-streaming or bidi call sends: any (async) iterable, e.g. an array or an `async function*`. */
export type RequestSource<T> = AsyncIterable<T> | Iterable<T>;

/** A client-streaming method's implementation: reads every request, returns the one reply. */
export type ClientStreamingMethod<Req, Res> = (
  requests: AsyncIterable<Req>,
  call: grpc.ServerReadableStream<Req, Res>,
) => Promise<Res> | Res;

/** A bidi-streaming method's implementation: reads requests as they come, returns the replies to send. */
export type BidiStreamingMethod<Req, Res> = (
  requests: AsyncIterable<Req>,
  call: grpc.ServerDuplexStream<Req, Res>,
) => AsyncIterable<Res> | Iterable<Res>;

type Req<M> = M extends GeneratedMethod<infer R, infer _S> ? R : never;
type Res<M> = M extends GeneratedMethod<infer _R, infer S> ? S : never;

/** The client method for generated method `M`, by its kind. */
export type GeneratedClientMethod<M> = M extends { readonly requestStream: true; readonly responseStream: true }
  ? (requests: RequestSource<Req<M>>, options?: CallOptions) => ResponseStream<Res<M>>
  : M extends { readonly requestStream: true }
    ? (requests: RequestSource<Req<M>>, options?: CallOptions) => Promise<Res<M>>
    : M extends { readonly responseStream: true }
      ? (request: Req<M>, options?: CallOptions) => ResponseStream<Res<M>>
      : (request: Req<M>, options?: CallOptions) => Promise<Res<M>>;

/** The server method for generated method `M`, by its kind. */
export type GeneratedServerMethod<M> = M extends { readonly requestStream: true; readonly responseStream: true }
  ? BidiStreamingMethod<Req<M>, Res<M>>
  : M extends { readonly requestStream: true }
    ? ClientStreamingMethod<Req<M>, Res<M>>
    : M extends { readonly responseStream: true }
      ? ServerStreamingMethod<Req<M>, Res<M>>
      : UnaryMethod<Req<M>, Res<M>>;

/** A typed client's methods for generated definition `D`. */
export type GeneratedClient<D> = { [K in keyof D & string]: GeneratedClientMethod<D[K]> };

/** The implementation `RpcServer.addService` expects for generated definition `D`. */
export type GeneratedImplementation<D> = { [K in keyof D & string]: GeneratedServerMethod<D[K]> };

/** A service as the server and client handle it, whichever way it was made. */
export interface ResolvedService {
  name: string;
  definition: grpc.ServiceDefinition;
}

/**
 * The name and definition of `service`: a {@link RpcService} (loadService) as it is, a generated
 * definition named after its methods' paths (`/user.User/GetUser` → `user.User`).
 */
export function resolveService(service: RpcService<grpc.ServiceDefinition, grpc.UntypedServiceImplementation> | GeneratedService): ResolvedService {
  if (isRpcService(service)) return service;
  const paths = Object.values(service).map((method) => method.path);
  const names = new Set(paths.map((path) => path.slice(1, path.lastIndexOf('/'))));
  if (names.size !== 1) {
    throw new RpcError(
      'RPC_ERR_UNKNOWN_SERVICE',
      status.UNIMPLEMENTED,
      names.size === 0 ? 'a generated service definition has no methods' : `one definition holds methods of ${[...names].join(', ')}`,
    );
  }
  return { name: [...names][0]!, definition: service as grpc.ServiceDefinition };
}

function isRpcService(service: object): service is RpcService<grpc.ServiceDefinition, grpc.UntypedServiceImplementation> {
  const candidate = service as { name?: unknown; definition?: { path?: unknown } };
  return typeof candidate.name === 'string' && typeof candidate.definition === 'object' && typeof candidate.definition?.path !== 'string';
}
