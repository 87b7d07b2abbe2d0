import { z } from 'zod';

/** Where lines go: stdout, or files under `Path` (go-zero's `Mode`; `volume` is not offered). */
export const LOG_MODES = ['console', 'file'] as const;
/** How a line is written: one JSON object, or a human-readable line. */
export const LOG_ENCODINGS = ['json', 'plain'] as const;
/** go-zero's levels plus `debug`; `severe` keeps only fatal lines. */
export const LOG_LEVELS = ['debug', 'info', 'error', 'severe'] as const;

/** The levels an access line may be written at (pino's names). */
export const ACCESS_LEVELS = ['debug', 'info', 'warn', 'error'] as const;

/**
 * The level of each kind of access line. The defaults make failed and slow calls stand out, as
 * go-zero's logx does (its access lines are info, errors error, slow calls a level of their own):
 * a request that failed — on either side — is an error line, so a log view filtered to errors
 * shows every failing request; a slow one is warn, logx's `slow`.
 */
export const AccessLevelsSchema = z
  .object({
    /** 1xx–3xx, gRPC OK. */
    Success: z.enum(ACCESS_LEVELS).default('info'),
    /** 4xx; gRPC codes that blame the caller (NOT_FOUND, INVALID_ARGUMENT, CANCELLED, …). */
    ClientError: z.enum(ACCESS_LEVELS).default('error'),
    /** 5xx; gRPC codes that blame the server (UNKNOWN, INTERNAL, UNAVAILABLE, DEADLINE_EXCEEDED, UNIMPLEMENTED, DATA_LOSS). */
    ServerError: z.enum(ACCESS_LEVELS).default('error'),
    /** Past `SlowThreshold` (`slowcall`); a slow failure takes the higher of the two levels. */
    Slow: z.enum(ACCESS_LEVELS).default('warn'),
  })
  .strict();

/** A parsed `Log.AccessLevels` block. */
export type AccessLevels = z.infer<typeof AccessLevelsSchema>;

/**
 * The `Log` block of a service config (go-zero's `logx.LogConf`, the keys that fit a Node
 * process). Durations are milliseconds.
 */
export const LogSchema = z
  .object({
    /** `service` field of every line; defaults to the service `Name`. */
    ServiceName: z.string().min(1).optional(),
    Mode: z.enum(LOG_MODES).default('console'),
    Encoding: z.enum(LOG_ENCODINGS).default('json'),
    Level: z.enum(LOG_LEVELS).default('info'),
    /** Directory of the log files in `file` mode (created if missing). */
    Path: z.string().min(1).default('logs'),
    /**
     * Access logs: one info line per HTTP request and RPC call. On by default, as in go-zero: it
     * costs a few percent of throughput (see src/log/README.md), and a trace without its log
     * lines is half the story. Slow and failed requests are logged either way.
     */
    Stat: z.boolean().default(true),
    /**
     * Also export info-level access lines over OTLP (`/v1/logs`). Off by default: the SERVER span
     * already carries method, route, status and duration, and exporting a record per request
     * costs more CPU than the request's spans (BENCHMARKS.md). Slow and failed requests' lines,
     * and every application line, are exported either way; stdout/files get every line.
     */
    ExportAccess: z.boolean().default(false),
    /** A request or call taking longer than this is logged at warn as `slowcall`. 0 turns it off. */
    SlowThreshold: z.number().int().min(0).default(500),
    /** The level of each kind of access line; see {@link AccessLevelsSchema}. */
    AccessLevels: AccessLevelsSchema.default(AccessLevelsSchema.parse({})),
  })
  .strict();

/** A parsed `Log` block, defaults filled in. */
export type LogConf = z.infer<typeof LogSchema>;
/** What a config may write: defaulted keys are optional. */
export type LogConfInput = z.input<typeof LogSchema>;
