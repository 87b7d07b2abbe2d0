import { z } from 'zod';
import { legacyJaegerEndpoint } from './exporters/jaeger-legacy.ts';

/**
 * The exporters a `Telemetry.Batcher` may name: go-zero's set, plus `console` (the OpenTelemetry
 * `OTEL_TRACES_EXPORTER=console`, spans printed to stdout, no Endpoint needed).
 */
export const BATCHERS = ['jaeger', 'zipkin', 'otlpgrpc', 'otlphttp', 'file', 'console'] as const;
export type Batcher = (typeof BATCHERS)[number];

/** The propagator names of `OTEL_PROPAGATORS` that `Telemetry.Propagators` accepts. */
export const PROPAGATORS = ['tracecontext', 'baggage', 'b3', 'b3multi', 'jaeger', 'none'] as const;
export type PropagatorName = (typeof PROPAGATORS)[number];

/** The export pipelines `Telemetry.Pipeline` picks between (see the trace README). */
export const PIPELINES = ['fast', 'sdk'] as const;

/**
 * The outgoing-call instrumentations the agent installs (official OpenTelemetry packages): `Http`
 * for `node:http`/`node:https` client requests, `Fetch` for `fetch()` and undici.
 */
const InstrumentSchema = z
  .object({
    Http: z.boolean().default(true),
    Fetch: z.boolean().default(true),
  })
  .strict();

/**
 * The `Telemetry` block of a service config, with go-zero's key names and defaults
 * (core/trace/config.go). `Batcher` defaults to `otlphttp` rather than go-zero's `jaeger`:
 * today's Jaeger receives OTLP, so both end up on the same wire. A legacy Jaeger collector URL
 * (`:14268/api/traces`) or agent port with `Batcher: jaeger` is a validation error with the hint.
 * The keys after `Disabled` carry what the standard `OTEL_*` variables can say and go-zero's block
 * cannot (conf/otel-env.ts fills them).
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
    /** false: the ratio decides for every trace, a remote parent's decision included. */
    ParentBased: z.boolean().default(true),
    /** More resource attributes on every span (`service.name` is always `Name`). */
    ResourceAttributes: z.record(z.string().min(1), z.string()).default({}),
    Propagators: z
      .array(z.enum(PROPAGATORS))
      .min(1)
      .default(['tracecontext', 'baggage'])
      .refine((list) => !list.includes('none') || list.length === 1, { message: 'none cannot be combined with other propagators' }),
    /** OTLP/HTTP body encoding (`http/protobuf` or `http/json`). */
    OtlpHttpEncoding: z.enum(['protobuf', 'json']).default('protobuf'),
    OtlpCompression: z.enum(['none', 'gzip']).default('none'),
    /** PEM file of the CA that signs the collector's certificate (instead of the system roots). */
    OtlpCaFile: z.string().min(1).optional(),
    /** PEM files of the client certificate and its key, for mutual TLS. */
    OtlpClientCertFile: z.string().min(1).optional(),
    OtlpClientKeyFile: z.string().min(1).optional(),
    Instrument: InstrumentSchema.default({ Http: true, Fetch: true }),
    /**
     * `fast`: zeroscope's faster replacements of SDK export components, each proven equal to the
     * component it replaces (today the OTLP protobuf encoder); `sdk`: the SDK's own, unchanged.
     */
    Pipeline: z.enum(PIPELINES).default('fast'),
  })
  .strict()
  // Refused here, not when the agent starts, so a service exits at start naming the key.
  .superRefine((tel, ctx) => {
    if ((tel.OtlpClientCertFile === undefined) !== (tel.OtlpClientKeyFile === undefined)) {
      const missing = tel.OtlpClientCertFile === undefined ? 'OtlpClientCertFile' : 'OtlpClientKeyFile';
      ctx.addIssue({ code: 'custom', path: [missing], message: 'required with the other client TLS file (a certificate needs its key)' });
    }
    const legacy = tel.Batcher === 'jaeger' && tel.Endpoint !== undefined ? legacyJaegerEndpoint({ ...tel, Endpoint: tel.Endpoint }) : undefined;
    if (legacy) ctx.addIssue({ code: 'custom', path: ['Endpoint'], message: legacy, params: { complete: true } });
  });

export type TelemetryConf = z.infer<typeof TelemetrySchema>;
