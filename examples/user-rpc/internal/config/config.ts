import { type RpcServerConf, RpcServerConfSchema } from 'zeroscope/rpc';
import type { z } from 'zod';

/** This service's config (go-zero's internal/config): an RPC server's keys plus your own. */
export const ConfigSchema = RpcServerConfSchema.extend({});

export type Config = z.infer<typeof ConfigSchema>;

/** The keys RpcServer takes: its schema is strict, so your own keys stay out. */
export function serverConf(config: Config): RpcServerConf {
  const keys = new Set(Object.keys(RpcServerConfSchema.shape));
  return Object.fromEntries(Object.entries(config).filter(([key]) => keys.has(key))) as RpcServerConf;
}
