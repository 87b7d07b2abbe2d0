/**
 * A gRPC service loaded from its .proto file, carrying the TypeScript types that
 * `proto-loader-gen-types` generated for it, so servers and clients are typed with no `any`.
 */
import { status } from '@grpc/grpc-js';
import type * as grpc from '@grpc/grpc-js';
import { loadSync, type MethodDefinition, type Options } from '@grpc/proto-loader';
import { RpcError } from './errors.ts';
import type { ClientStreamingMethod, BidiStreamingMethod, RequestSource } from './generated-service.ts';

/**
 * How .proto files are loaded. The generated types must be made with the matching flags
 * (`src/rpc/tools/gen-types.mjs` passes them): camelCase fields, 64-bit ints and enums as
 * strings, defaults filled in on decode, virtual oneof fields.
 */
export const PROTO_LOADER_OPTIONS: Readonly<Options> = Object.freeze({
  keepCase: false,
  longs: String,
  enums: String,
  defaults: true,
  oneofs: true,
});

declare const handlersType: unique symbol;

/**
 * A service definition plus its generated types: `D` is the generated `XxxDefinition` (message
 * types of each method), `H` the generated `XxxHandlers` (which methods stream).
 */
export interface RpcService<D extends grpc.ServiceDefinition, H extends grpc.UntypedServiceImplementation> {
  /** Full name, `user.User`. */
  readonly name: string;
  /** What grpc-js needs to serve and call it. */
  readonly definition: D;
  /** Type-only: never present at run time. */
  readonly [handlersType]?: H;
}

/**
 * Loads service `fullName` from a .proto file.
 *
 * @example
 *   import type { UserDefinition, UserHandlers } from './generated/user/User.ts';
 *   export const UserService = loadService<UserDefinition, UserHandlers>(
 *     fileURLToPath(new URL('./user.proto', import.meta.url)), 'user.User');
 */
export function loadService<D extends grpc.ServiceDefinition, H extends grpc.UntypedServiceImplementation>(
  protoFile: string,
  fullName: string,
  options: { includeDirs?: string[] } = {},
): RpcService<D, H> {
  const pkg = loadSync(protoFile, { ...PROTO_LOADER_OPTIONS, includeDirs: options.includeDirs });
  const definition = pkg[fullName];
  if (definition === undefined || 'format' in definition || 'fileDescriptorProtos' in definition) {
    throw new RpcError('RPC_ERR_UNKNOWN_SERVICE', status.UNIMPLEMENTED, `${protoFile} has no service ${fullName}`);
  }
  return { name: fullName, definition: definition as unknown as D };
}

// ---- types derived from the generated code -------------------------------------------------

/** Known method names of generated handlers (drops grpc-js's `[name: string]` index signature). */
export type MethodNames<H> = keyof { [K in keyof H as string extends K ? never : number extends K ? never : K]: H[K] };

/** A unary method's implementation: may return the reply or a promise of it; throw to fail. */
export type UnaryMethod<Req, Res> = (request: Req, call: grpc.ServerUnaryCall<Req, Res>) => Promise<Res> | Res;

/**
 * A server-streaming method's implementation: returns the messages to send, usually as an
 * `async function*`; throw to end the stream with an error status.
 */
export type ServerStreamingMethod<Req, Res> = (
  request: Req,
  call: grpc.ServerWritableStream<Req, Res>,
) => AsyncIterable<Res> | Iterable<Res>;

/** The implementation `RpcServer.addService` expects for handlers `H`. */
export type ServiceImplementation<H> = {
  [K in MethodNames<H>]: H[K] extends grpc.handleBidiStreamingCall<infer Req, infer Res>
    ? BidiStreamingMethod<Req, Res>
    : H[K] extends grpc.handleClientStreamingCall<infer Req, infer Res>
      ? ClientStreamingMethod<Req, Res>
      : H[K] extends grpc.handleServerStreamingCall<infer Req, infer Res>
        ? ServerStreamingMethod<Req, Res>
        : H[K] extends grpc.handleUnaryCall<infer Req, infer Res>
          ? UnaryMethod<Req, Res>
          : never;
};

/** Per-call options of a client call. */
export interface CallOptions {
  /** Deadline of this call in ms, instead of the client's `Timeout`. */
  timeoutMs?: number;
  /** Extra request metadata. */
  metadata?: grpc.Metadata;
}

/** Messages of a server-streaming call; `for await` them. `cancel()` ends the call (CANCELLED). */
export interface ResponseStream<T> extends AsyncIterable<T> {
  cancel(): void;
}

type RequestOf<M> = M extends MethodDefinition<infer Req, infer _Res, infer _ReqOut, infer _ResOut> ? Req : never;
type ReplyOf<M> = M extends MethodDefinition<infer _Req, infer _Res, infer _ReqOut, infer ResOut> ? ResOut : never;

/**
 * A typed client of service `<D, H>`: unary methods return promises, server-streaming ones
 * streams; client-streaming and bidi methods take their requests as an (async) iterable.
 */
export type ServiceClient<D, H> = {
  [K in MethodNames<H> & keyof D]: H[K] extends grpc.handleBidiStreamingCall<infer _Req, infer _Res>
    ? (requests: RequestSource<RequestOf<D[K]>>, options?: CallOptions) => ResponseStream<ReplyOf<D[K]>>
    : H[K] extends grpc.handleClientStreamingCall<infer _Req, infer _Res>
      ? (requests: RequestSource<RequestOf<D[K]>>, options?: CallOptions) => Promise<ReplyOf<D[K]>>
      : H[K] extends grpc.handleServerStreamingCall<infer _Req, infer _Res>
        ? (request: RequestOf<D[K]>, options?: CallOptions) => ResponseStream<ReplyOf<D[K]>>
        : (request: RequestOf<D[K]>, options?: CallOptions) => Promise<ReplyOf<D[K]>>;
};
