import { z } from 'zod';
import { legacyJaegerEndpoint } from './exporters/jaeger-legacy.ts';

/** The exporters a `Telemetry.Batcher` may name (go-zero's set). */
export const BATCHERS = ['jaeger', 'zipkin', 'otlpgrpc', 'otlphttp', 'file'] as const;
export type Batcher = (typeof BATCHERS)[number];

/**
 * The `Telemetry` block of a service config, with go-zero's key names and defaults
 * (core/trace/config.go). `Batcher` defaults to `otlphttp` rather than go-zero's `jaeger`:
 * today's Jaeger receives OTLP, so both end up on the same wire. A legacy Jaeger collector URL
 * (`:14268/api/traces`) or agent port with `Batcher: jaeger` is a validation error with the hint.
 */
export const TelemetrySchema = z
  .object({
    Name: z.string().min(1).optional(),
    Endpoint: z.string().min(1).optional(),
    Sampler: z.number().min(0).max(1).default(1.0),
    Batcher: z.enum(BATCHERS).default('otlphttp'),
    OtlpHeaders: z.record(z.string(), z.string()).default({}),
    OtlpHttpPath: z.string().startsWith('/').default('/v1/traces'),
    OtlpHttpSecure: z.boolean().default(false),
    Disabled: z.boolean().default(false),
  })
  .strict()
  // Refused here, not when the agent starts, so a service exits at start naming the key.
  .superRefine((conf, ctx) => {
    const legacy = conf.Batcher === 'jaeger' && conf.Endpoint !== undefined ? legacyJaegerEndpoint({ ...conf, Endpoint: conf.Endpoint }) : undefined;
    if (legacy) ctx.addIssue({ code: 'custom', path: ['Endpoint'], message: legacy, params: { complete: true } });
  });

export type TelemetryConf = z.infer<typeof TelemetrySchema>;
