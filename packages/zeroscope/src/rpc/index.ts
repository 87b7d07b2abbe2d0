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
export { resolveService } from './generated-service.ts';
export type {
  BidiStreamingMethod,
  ClientStreamingMethod,
  GeneratedClient,
  GeneratedClientMethod,
  GeneratedImplementation,
  GeneratedMethod,
  GeneratedServerMethod,
  GeneratedService,
  RequestSource,
  ResolvedService,
} from './generated-service.ts';
// The protobuf wire codec the generated message code (`zeroscope gen rpc`) imports, re-exported
// so a project needs no direct dependency on it and every package manager resolves it.
export { BinaryReader, BinaryWriter, WireType } from '@bufbuild/protobuf/wire';
export { StaticEndpoints } from './endpoints.ts';
export type { EndpointSource, EndpointsListener } from './endpoints.ts';
export {
  EtcdConfSchema,
  RpcClientConfSchema,
  RpcClientMiddlewaresSchema,
  RpcServerConfSchema,
  RpcServerMiddlewaresSchema,
} from './config.ts';
export type { EtcdConf, RpcClientConf, RpcClientConfInput, RpcServerConf, RpcServerConfInput } from './config.ts';
export { grpcStatusOf, RPC_ERROR_CODES, RpcConfigError, RpcError, RpcStatusError } from './errors.ts';
export type { RpcErrorCode } from './errors.ts';
export { buildServerChain } from './server-chain.ts';
export type { ServerChain } from './server-chain.ts';
export { buildClientChain, buildClientMiddlewares } from './client-chain.ts';
export type { CallStatus, ClientCall, ClientCallWatch, ClientMiddleware } from './internal/client-call.ts';
export type { ClientBreakers } from './client-chain.ts';
export { EtcdEndpoints } from './discov/etcd-endpoints.ts';
export type { EtcdEndpointsOptions } from './discov/etcd-endpoints.ts';
export { EtcdRegistrar } from './discov/registrar.ts';
export type { RegistrarOptions } from './discov/registrar.ts';
export { reachableAddress } from './discov/listen-address.ts';
export { Balancer, createPicker } from './balancer/balancer.ts';
export type { Picked } from './balancer/balancer.ts';
export { P2cPicker } from './balancer/p2c.ts';
export type { P2cOptions } from './balancer/p2c.ts';
export { RoundRobinPicker } from './balancer/round-robin.ts';
export type { BalancerName, Connection, PickResult, Picker } from './balancer/picker.ts';
export { GoogleBreaker } from './breaker/google-breaker.ts';
export type { BreakerOptions, BreakerPromise } from './breaker/google-breaker.ts';
export { Breakers } from './breaker/breakers.ts';
export { isAcceptable } from './breaker/acceptable.ts';
export {
  ATTR_BREAKER_DROP_RATIO,
  ATTR_BREAKER_NAME,
  breakerClientInterceptor,
  EVENT_BREAKER_REJECTED,
} from './clientinterceptors/breaker.ts';
// Middlewares, one folder per shape (README "Middlewares and their order"):
// serverinterceptors/ grpc-js server interceptors (*ServerInterceptor), servermiddlewares/
// handler wrappers of RpcServer (*ServerMiddleware), clientinterceptors/ grpc-js client
// interceptors that also carry the hook createClient runs (*ClientInterceptor).
export { accessLogServerInterceptor } from './serverinterceptors/access-log.ts';
export { metricsServerInterceptor } from './serverinterceptors/metrics.ts';
export type { RpcMetricsOptions } from './serverinterceptors/metrics.ts';
export { tracingServerInterceptor } from './serverinterceptors/tracing.ts';
export { recoverServerMiddleware } from './servermiddlewares/recover.ts';
export type { RecoverLogger } from './servermiddlewares/recover.ts';
export { sheddingServerMiddleware } from './servermiddlewares/shedding.ts';
export { timeoutServerMiddleware } from './servermiddlewares/timeout.ts';
export { metricsClientInterceptor } from './clientinterceptors/metrics.ts';
export type { RpcClientMetricsOptions } from './clientinterceptors/metrics.ts';
export { tracingClientInterceptor } from './clientinterceptors/tracing.ts';
export { timeoutClientInterceptor } from './clientinterceptors/timeout.ts';
export type { ClientInterceptor } from './internal/client-call.ts';
export type { HandlerMiddleware, ServerMiddleware, StreamHandler, UnaryHandler } from './internal/handler-types.ts';
export { recoverMiddleware, sheddingMiddleware, timeoutMiddleware } from './deprecated.ts';
export type { MethodInfo } from './internal/method-info.ts';
export type { ServerAddress } from './internal/address.ts';
// The method type of proto-loader's generated service definitions, re-exported so typed services
// need no import of @grpc/proto-loader (a dependency of this package, not of theirs).
export type { MethodDefinition } from '@grpc/proto-loader';
// Re-exported so services need not depend on @grpc/grpc-js for status codes and metadata.
export { Metadata, status } from '@grpc/grpc-js';
