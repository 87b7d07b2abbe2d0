import { z } from 'zod';
import { RestConfSchema } from '../../../../src/rest/index.ts';
import { RpcClientConfSchema } from '../../../../src/rpc/index.ts';

/** order-api's config (go-zero's `internal/config`): an HTTP server plus the user-rpc client. */
export const OrderConfSchema = RestConfSchema.extend({
  UserRpc: RpcClientConfSchema,
}).strict();

export type OrderConf = z.infer<typeof OrderConfSchema>;
