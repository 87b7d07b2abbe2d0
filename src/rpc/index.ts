// The rpc package: gRPC server and client on @grpc/grpc-js, typed from .proto files, with
// config-driven tracing, recover and timeout middlewares. See README.md.
export { RpcServer } from './server.ts';
export type { RpcServerOptions } from './server.ts';
export { createClient, dialClient } from './client.ts';
export type { RpcClient, RpcClientControl, RpcClientOptions } from './client.ts';
export { loadService, PROTO_LOADER_OPTIONS } from './service.ts';
export type {
  CallOptions,
  MethodNames,
  ResponseStream,
  RpcService,
  ServerStreamingMethod,
  ServiceClient,
  ServiceImplementation,
  UnaryMethod,
} from './service.ts';
export { StaticEndpoints } from './endpoints.ts';
export type { EndpointSource, EndpointsListener } from './endpoints.ts';
export {
  RpcClientConfSchema,
  RpcClientMiddlewaresSchema,
  RpcServerConfSchema,
  RpcServerMiddlewaresSchema,
} from './config.ts';
export type { RpcClientConf, RpcClientConfInput, RpcServerConf, RpcServerConfInput } from './config.ts';
export { grpcStatusOf, RPC_ERROR_CODES, RpcConfigError, RpcError, RpcStatusError } from './errors.ts';
export type { RpcErrorCode } from './errors.ts';
export { buildServerChain } from './server-chain.ts';
export type { ServerChain } from './server-chain.ts';
export { buildClientChain } from './client-chain.ts';
export { tracingServerInterceptor } from './serverinterceptors/tracing.ts';
export { recoverMiddleware } from './serverinterceptors/recover.ts';
export type { RecoverLogger } from './serverinterceptors/recover.ts';
export { timeoutMiddleware } from './serverinterceptors/timeout.ts';
export { tracingClientInterceptor } from './clientinterceptors/tracing.ts';
export { timeoutClientInterceptor } from './clientinterceptors/timeout.ts';
export type { HandlerMiddleware, StreamHandler, UnaryHandler } from './internal/handler-types.ts';
export type { MethodInfo } from './internal/method-info.ts';
export type { ServerAddress } from './internal/address.ts';
// Re-exported so services need not depend on @grpc/grpc-js for status codes and metadata.
export { Metadata, status } from '@grpc/grpc-js';
