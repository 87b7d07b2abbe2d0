/**
 * The `user.User` gRPC service, typed from the generated code. Servers and clients (order-api)
 * both start from this: `server.addService(UserService, ...)`, `createClient(UserService, conf)`.
 */
import { fileURLToPath } from 'node:url';
import { loadService } from 'zeroscope/rpc';
import type { UserDefinition, UserHandlers } from './generated/user/User.ts';

export const UserService = loadService<UserDefinition, UserHandlers>(
  fileURLToPath(new URL('./user.proto', import.meta.url)),
  'user.User',
);

export type { UserDefinition, UserHandlers };
export type { UserReply__Output as User } from './generated/user/UserReply.ts';
export type { Order__Output as Order } from './generated/user/Order.ts';
