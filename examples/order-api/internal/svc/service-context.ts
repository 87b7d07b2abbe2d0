import { createClient, type RpcClient } from 'zeroscope/rpc';
import { UserService, type UserDefinition, type UserHandlers } from '../../../user-rpc/user-service.ts';
import type { OrderConf } from '../config/config.ts';

/** What the logic depends on (go-zero's ServiceContext): the config and the user-rpc client. */
export interface ServiceContext {
  config: OrderConf;
  userRpc: RpcClient<UserDefinition, UserHandlers>;
}

export function newServiceContext(config: OrderConf): ServiceContext {
  return { config, userRpc: createClient(UserService, config.UserRpc) };
}
