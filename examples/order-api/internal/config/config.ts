import { type RestConf, RestConfSchema } from 'zeroscope/rest';
import { RpcClientConfSchema } from 'zeroscope/rpc';
import type { z } from 'zod';

/** order-api's config (go-zero's internal/config): an HTTP server plus the user-rpc client. */
export const ConfigSchema = RestConfSchema.extend({
  UserRpc: RpcClientConfSchema,
}).strict();

export type Config = z.infer<typeof ConfigSchema>;

/** The keys RestServer takes: its schema is strict, so UserRpc stays out. */
export function serverConf(config: Config): RestConf {
  const keys = new Set(Object.keys(RestConfSchema.shape));
  return Object.fromEntries(Object.entries(config).filter(([key]) => keys.has(key))) as RestConf;
}
