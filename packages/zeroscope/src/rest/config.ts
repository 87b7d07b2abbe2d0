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
}).strict();

/** A parsed RestConf, defaults filled in. */
export type RestConf = z.infer<typeof RestConfSchema>;
/** What a caller may write: defaulted keys are optional. */
export type RestConfInput = z.input<typeof RestConfSchema>;
/** The parsed `Middlewares` block. */
export type MiddlewaresConf = z.infer<typeof MiddlewaresConfSchema>;
