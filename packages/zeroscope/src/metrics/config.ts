import { z } from 'zod';

/**
 * The `Prometheus` block of a service config (go-zero's `prometheus.Config`): where the process
 * serves its metrics. The block being there switches metrics on; without it the metrics
 * middleware record nothing and no port is opened.
 */
export const PrometheusSchema = z
  .object({
    Host: z.string().min(1).default('0.0.0.0'),
    /** 0 asks the OS for a free port (tests); `metricsAddress()` tells which. */
    Port: z.number().int().min(0).max(65535).default(9101),
    Path: z.string().startsWith('/').default('/metrics'),
  })
  .strict();

/** A parsed `Prometheus` block, defaults filled in. */
export type PrometheusConf = z.infer<typeof PrometheusSchema>;
/** What a config may write: defaulted keys are optional. */
export type PrometheusConfInput = z.input<typeof PrometheusSchema>;
