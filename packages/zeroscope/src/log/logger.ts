import pino, { type DestinationStream, type Logger } from 'pino';
import { type AccessLevels, AccessLevelsSchema, type LogConf, type LogConfInput, LogSchema } from './config.ts';
import { createDestination, type LogDestination } from './destination.ts';
import { createOtlpLogExport, type OtlpLogExport, type OtlpLogExportConf } from './otlp-export.ts';
import { mergeTraceFields, traceMixin } from './trace-mixin.ts';

/** go-zero's Level names → pino's. `severe` keeps only fatal lines. */
const PINO_LEVEL: Record<LogConf['Level'], pino.Level> = { debug: 'debug', info: 'info', error: 'error', severe: 'fatal' };

/** Options of {@link createLogger} that are code, not config. */
export interface CreateLoggerOptions {
  /** `service` field of every line when `ServiceName` is not set. */
  serviceName?: string;
  /** Write here instead of stdout or the files of `Mode` (tests, custom sinks); `Encoding` still applies. */
  destination?: DestinationStream;
  /** Also write every line here (the OTLP export's stream). */
  tee?: DestinationStream;
}

/**
 * A pino logger configured by a `Log` block: level, `service` field, ISO time, level names as
 * text (`"level":"info"`, fatal as `severe`), and `trace_id`/`span_id` of the active span on
 * every line. Not the process logger: see {@link logger} for that.
 *
 * @example
 *   const log = createLogger({ Level: 'debug' }, { serviceName: 'order' });
 *   log.info({ orderId: 7 }, 'order created'); // {"level":"info",...,"trace_id":"…","span_id":"…","msg":"order created"}
 */
export function createLogger(conf: LogConfInput = {}, options: CreateLoggerOptions = {}): Logger {
  return buildLogger(LogSchema.parse(conf), options).logger;
}

function buildLogger(conf: LogConf, options: CreateLoggerOptions): { logger: Logger; destination: LogDestination } {
  const destination = createDestination(conf, options.destination);
  const main = destination.stream;
  const stream = options.tee === undefined ? main : pino.multistream([{ level: 'trace', stream: main }, { level: 'trace', stream: options.tee }]);
  const service = conf.ServiceName ?? options.serviceName;
  const logger = pino(
    {
      level: PINO_LEVEL[conf.Level],
      base: service === undefined ? null : { service },
      timestamp: isoTime,
      formatters: { level: (label, number) => ({ level: number >= 60 ? 'severe' : label }) },
      mixin: traceMixin,
      mixinMergeStrategy: mergeTraceFields,
    },
    stream,
  );
  return { logger, destination };
}

// pino's isoTime builds a Date and its ISO string per line; lines logged in the same millisecond
// (most of them, under load) share one.
let lastMs = -1;
let lastTime = '';
function isoTime(): string {
  const now = Date.now();
  if (now !== lastMs) {
    lastMs = now;
    lastTime = `,"time":"${new Date(now).toISOString()}"`;
  }
  return lastTime;
}

/** How the access-log middleware behave; from the process's `Log` block. */
export interface AccessLogSettings {
  /** One info line per request/call (`Log.Stat`). */
  readonly stat: boolean;
  /** Slow past this many ms (`Log.SlowThreshold`); 0 = never. */
  readonly slowThreshold: number;
  /** Info access lines go over OTLP too (`Log.ExportAccess`). */
  readonly exportAccess: boolean;
  /** The level of each kind of access line (`Log.AccessLevels`). */
  readonly levels: AccessLevels;
}

/** What {@link setUpLogging} needs besides the `Log` block. */
export interface SetUpLoggingOptions {
  /** The service's `Name`: `service` field when `Log.ServiceName` is unset. */
  serviceName: string;
  /** Export lines over OTLP too (set when `Telemetry` has an OTLP/HTTP endpoint). */
  otlp?: OtlpLogExportConf;
  /** Write here instead of stdout or the files of `Mode` (tests). */
  destination?: DestinationStream;
}

/** The process's logging: its logger, where lines go, the OTLP export, the access-log settings. */
export interface LogState {
  logger: Logger;
  settings: AccessLogSettings;
  destination: LogDestination;
  export?: OtlpLogExport;
  configured: boolean;
}

// On globalThis so two copies of this module (src and a build, say) still share one logger.
const STATE_KEY = Symbol.for('zeroscope.log.state');
const store = globalThis as { [STATE_KEY]?: LogState };
const DEFAULT_SETTINGS: AccessLogSettings = Object.freeze({ stat: true, slowThreshold: 500, exportAccess: false, levels: AccessLevelsSchema.parse({}) });

function state(): LogState {
  let current = store[STATE_KEY];
  if (current === undefined) {
    // Before any set-up: json lines on stdout at info, so early lines are not lost.
    const built = buildLogger(LogSchema.parse({}), {});
    current = { logger: built.logger, destination: built.destination, settings: DEFAULT_SETTINGS, configured: false };
    store[STATE_KEY] = current;
  }
  return current;
}

/**
 * The process logger (go-zero's logx): the one every framework middleware writes to and the one
 * handlers should use, so their lines carry the request's trace. Configured by the first
 * service set-up that runs; before that, json on stdout at info.
 *
 * @example
 *   logger().info({ userId }, 'user loaded');
 */
export function logger(): Logger {
  return state().logger;
}

/** The process's logging as it is now (what logAccess writes through). */
export function processLogState(): Readonly<LogState> {
  return state();
}

/** The access-log settings of the process (defaults until a set-up configured logging). */
export function accessLogSettings(): AccessLogSettings {
  return state().settings;
}

/**
 * Configures the process logger from a `Log` block, once: later calls are no-ops (as the trace
 * agent, every server's set-up may call it). With `options.otlp`, lines are exported over OTLP
 * too. Throws LogError for an unusable Path or endpoint, leaving logging unconfigured so a
 * later set-up may retry.
 */
export function setUpLogging(conf: LogConf, options: SetUpLoggingOptions): void {
  const current = state();
  if (current.configured) return;
  const exporter = options.otlp === undefined ? undefined : createOtlpLogExport(options.otlp);
  let built: ReturnType<typeof buildLogger>;
  try {
    built = buildLogger(conf, { serviceName: options.serviceName, tee: exporter?.stream, destination: options.destination });
  } catch (err) {
    void exporter?.shutdown();
    throw err;
  }
  current.destination.flushSync();
  store[STATE_KEY] = {
    logger: built.logger,
    destination: built.destination,
    export: exporter,
    settings: Object.freeze({ stat: conf.Stat, slowThreshold: conf.SlowThreshold, exportAccess: conf.ExportAccess, levels: conf.AccessLevels }),
    configured: true,
  };
}

/**
 * Flushes buffered lines and the OTLP export (waiting at most `timeoutMs`) and stops exporting.
 * The logger keeps writing to its destination afterwards. Safe to call more than once.
 */
export async function shutdownLogging(timeoutMs = 5000): Promise<void> {
  const current = store[STATE_KEY];
  if (current === undefined) return;
  current.destination.flushSync();
  const exporter = current.export;
  if (exporter === undefined) return;
  current.export = undefined;
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<void>((resolve) => {
    timer = setTimeout(resolve, timeoutMs);
    timer.unref();
  });
  try {
    await Promise.race([exporter.shutdown().catch(() => undefined), timeout]);
  } finally {
    clearTimeout(timer);
  }
}
