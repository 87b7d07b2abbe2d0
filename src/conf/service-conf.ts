import { z } from 'zod';
import { TelemetrySchema } from '../trace/config.ts';

/** go-zero's service modes; `dev` and `test` relax nothing yet but are reported on spans' resource. */
export const MODES = ['dev', 'test', 'rt', 'pre', 'pro'] as const;

/**
 * What every service config shares (go-zero's `service.ServiceConf`). Server configs extend it:
 * `RestConfSchema` in src/rest/config.ts, `RpcServerConfSchema` in src/rpc/config.ts.
 */
export const ServiceConfSchema = z
  .object({
    Name: z.string().min(1),
    Mode: z.enum(MODES).default('pro'),
    Telemetry: TelemetrySchema.optional(),
  })
  .strict();

export type ServiceConf = z.infer<typeof ServiceConfSchema>;
