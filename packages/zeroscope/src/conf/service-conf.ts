import { z } from 'zod';
import { LogSchema } from '../log/config.ts';
import { PrometheusSchema } from '../metrics/config.ts';
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
    /** The process logger (src/log); its defaults apply without the block. */
    Log: LogSchema.optional(),
    /** Serves `/metrics` when present (src/metrics); without it no metrics are recorded. */
    Prometheus: PrometheusSchema.optional(),
  })
  .strict();

export type ServiceConf = z.infer<typeof ServiceConfSchema>;
