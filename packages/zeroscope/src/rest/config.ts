import { z } from 'zod';
import { ServiceConfSchema } from '../conf/service-conf.ts';

/**
 * One switch per built-in middleware (go-zero's `MiddlewaresConf`), each on by default.
 * src/rest/chain.ts reads them and alone decides the order.
 */
export const MiddlewaresConfSchema = z
  .object({
    Trace: z.boolean().default(true),
    /** One access log line per request, slow and failed ones always (src/log). */
    Log: z.boolean().default(true),
    /** Prometheus request metrics, when a `Prometheus` block is set (src/metrics). */
    Metrics: z.boolean().default(true),
    MaxConns: z.boolean().default(true),
    /** Adaptive load shedding by CPU and in-flight work (go-zero's Shedding); needs CpuThreshold > 0. */
    Shedding: z.boolean().default(true),
    Timeout: z.boolean().default(true),
    Recover: z.boolean().default(true),
    MaxBytes: z.boolean().default(true),
    Gunzip: z.boolean().default(true),
  })
  .strict();

/**
 * Serves the OpenAPI 3.1 document of the server's routes (src/rest/openapi); off unless the
 * block is present.
 */
export const OpenApiConfSchema = z
  .object({
    /** The fixed path the document is served on with GET, e.g. `/openapi.json`. */
    Path: z.string().refine((p) => /^\/[^\s:*?#]*$/.test(p), 'expected a path starting with / (no spaces, :, *, ? or #)'),
    /** `info.title`; default the service `Name`. */
    Title: z.string().min(1).optional(),
    /** `info.version`, the version of your API. */
    Version: z.string().min(1).default('1.0.0'),
    Description: z.string().optional(),
  })
  .strict();

/**
 * An HTTP server's config (go-zero's `rest.RestConf`): the shared service keys plus where to
 * listen and the limits the built-in middleware enforce. Durations are milliseconds.
 */
export const RestConfSchema = ServiceConfSchema.extend({
  Host: z.string().min(1).default('0.0.0.0'),
  /** 0 asks the OS for a free port; `RestServer.port` tells which one after `start()`. */
  Port: z.number().int().min(0).max(65535),
  /** Per-request deadline in ms; 0 turns it off. */
  Timeout: z.number().int().min(0).default(3000),
  /** Concurrent requests before new ones get 503; 0 means no limit. */
  MaxConns: z.number().int().min(0).default(10000),
  /** Largest request body in bytes (after gunzip); 0 means no limit. */
  MaxBytes: z.number().int().min(0).default(1048576),
  /** CPU usage in millicpu (900 = 90% of one core) from which requests may be shed with 503; 0 turns shedding off. */
  CpuThreshold: z.number().int().min(0).max(999).default(900),
  Middlewares: MiddlewaresConfSchema.default(() => MiddlewaresConfSchema.parse({})),
  /** `{ Path: /openapi.json }` serves the routes' OpenAPI document there; absent = off. */
  OpenApi: OpenApiConfSchema.optional(),
}).strict();

/** A parsed RestConf, defaults filled in. */
export type RestConf = z.infer<typeof RestConfSchema>;
/** What a caller may write: defaulted keys are optional. */
export type RestConfInput = z.input<typeof RestConfSchema>;
/** The parsed `OpenApi` block. */
export type OpenApiConf = z.infer<typeof OpenApiConfSchema>;
/** The parsed `Middlewares` block. */
export type MiddlewaresConf = z.infer<typeof MiddlewaresConfSchema>;
