import { createClient, type RpcClient } from 'zeroscope/rpc';
import { UserService } from '../../../user-rpc/pb/user.ts';
import type { Config } from '../config/config.ts';

/** What the logic depends on (go-zero's ServiceContext): the config and the user-rpc client. */
export interface ServiceContext {
  config: Config;
  userRpc: RpcClient<typeof UserService>;
  /** Closes the user-rpc client; runs after the HTTP server has drained. */
  close(): Promise<void>;
}

export function newServiceContext(config: Config): ServiceContext {
  const userRpc = createClient(UserService, config.UserRpc);
  return { config, userRpc, close: async () => userRpc.close() };
}
