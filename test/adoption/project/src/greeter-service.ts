// The Greeter service's types, written as a user would without a generator.
import type * as grpc from '@grpc/grpc-js';
import { fileURLToPath } from 'node:url';
import { loadService, type MethodDefinition } from 'zeroscope/rpc';

export interface HelloReq {
  name: string;
}
export interface HelloReply {
  message: string;
}
export interface GreeterDefinition extends grpc.ServiceDefinition {
  SayHello: MethodDefinition<HelloReq, HelloReply, HelloReq, HelloReply>;
}
export interface GreeterHandlers extends grpc.UntypedServiceImplementation {
  SayHello: grpc.handleUnaryCall<HelloReq, HelloReply>;
}

export const GreeterService = loadService<GreeterDefinition, GreeterHandlers>(
  fileURLToPath(new URL('./greeter.proto', import.meta.url)),
  'greeter.Greeter',
);
