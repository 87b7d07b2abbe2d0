import { z } from 'zod';
import { RestConfSchema } from 'zeroscope/rest';
import { RpcClientConfSchema } from 'zeroscope/rpc';

/** order-api's config (go-zero's `internal/config`): an HTTP server plus the user-rpc client. */
export const OrderConfSchema = RestConfSchema.extend({
  UserRpc: RpcClientConfSchema,
}).strict();

export type OrderConf = z.infer<typeof OrderConfSchema>;
