import { type AccessFields, accessLineJson, accessLinePlain } from './access-line.ts';
import type { AccessLevels } from './config.ts';
import { LOCAL_ONLY } from './local-only.ts';
import { type AccessLogSettings, processLogState } from './logger.ts';

/** How a request or call ended, from the server's side. */
export type AccessOutcome = 'success' | 'client-error' | 'server-error';

/** One finished HTTP request or RPC call, as the access-log middleware saw it. */
export interface AccessEntry {
  /** `http` for the rest server, `rpc` for an rpc server call, `rpc-client` for a call a client made. */
  kind: 'http' | 'rpc' | 'rpc-client';
  /** HTTP method, or the gRPC method `package.Service/Method`. */
  method: string;
  /** Route template (`/api/order/:id`), HTTP only; undefined when no route matched. */
  route?: string;
  /** The request path, HTTP only. */
  path?: string;
  /** HTTP status, or the gRPC status code. */
  status: number;
  /** Name of a gRPC status (`NOT_FOUND`), rpc only. */
  code?: string;
  /** `host:port` the call went to, rpc-client only. */
  server?: string;
  /** The status message of a failed call, rpc-client only (it ends the line's text). */
  details?: string;
  /** Wall time from the request's arrival to its answer. */
  durationMs: number;
  /** Success, a failure blamed on the caller (4xx, NOT_FOUND…) or on the server (5xx, INTERNAL…). */
  outcome: AccessOutcome;
}

const LEVEL_RANK = { debug: 0, info: 1, warn: 2, error: 3 } as const;
/** pino's number of each access level. */
const LEVEL_VALUE = { debug: 20, info: 30, warn: 40, error: 50 } as const;
type AccessLevel = keyof typeof LEVEL_RANK;

const OUTCOME_LEVEL: Record<AccessOutcome, keyof AccessLevels> = {
  success: 'Success',
  'client-error': 'ClientError',
  'server-error': 'ServerError',
};

/**
 * Writes the access log line of one request or call (go-zero's LogHandler and its rpc twin) to the
 * process logger, inside the request's context so the line carries its trace. Its level comes from
 * `Log.AccessLevels` by outcome (defaults: success info, client and server errors error, slow warn
 * with `slow: true` and a `slowcall` message; a slow failure takes the higher level). Successful
 * fast lines are written only when `Log.Stat` is on, and exported over OTLP only with
 * `Log.ExportAccess`; failed and slow ones always are. Fields: `kind`, `method`, `route`, `path`,
 * `status`, `code`, `duration_ms`, `slow`.
 */
export function logAccess(entry: AccessEntry): void {
  const current = processLogState();
  const settings = current.settings;
  const slow = isSlow(entry.durationMs, settings);
  const failed = entry.outcome !== 'success';
  // A client logs only its failed and slow calls (go-zero's DurationInterceptor): the server has the rest.
  if (!failed && !slow && (!settings.stat || entry.kind === 'rpc-client')) return;
  const log = current.logger;
  let level: AccessLevel = settings.levels[OUTCOME_LEVEL[entry.outcome]];
  if (slow && LEVEL_RANK[settings.levels.Slow] > LEVEL_RANK[level]) level = settings.levels.Slow;
  if (!log.isLevelEnabled(level)) return;
  const localOnly = !failed && !slow && !settings.exportAccess;
  const fields: AccessFields = {
    kind: entry.kind,
    method: entry.method,
    route: entry.route,
    path: entry.path,
    status: entry.status,
    code: entry.code,
    duration_ms: Math.round(entry.durationMs * 1000) / 1000,
    slow: slow || undefined,
  };
  const msg = (slow ? 'slowcall ' : '') + accessText(entry);
  if (entry.kind === 'rpc-client') {
    // Rare lines (failures, slow calls): through pino, with the field only they have.
    log[level]({ ...fields, server: entry.server }, msg);
    return;
  }
  // A line no export takes (the common one: a fast success) is built by hand and written straight
  // to its destination; exported lines go through pino, whose multistream feeds the OTLP tee.
  if (localOnly || current.export === undefined) {
    const number = LEVEL_VALUE[level];
    const destination = current.destination;
    const line = destination.encoding === 'json' ? accessLineJson(log, number, fields, msg) : accessLinePlain(number, fields, msg);
    if (line !== undefined) {
      destination.out(number).write(line);
      return;
    }
  }
  // Marked in place (undefined when not local) rather than copied into a second object per line.
  log[level](Object.assign(fields, { [LOCAL_ONLY]: localOnly || undefined }), msg);
}

/** Whether a request or call that took `durationMs` is past `Log.SlowThreshold` (0 turns slow lines off). */
export function isSlow(durationMs: number, settings: AccessLogSettings = processLogState().settings): boolean {
  return settings.slowThreshold > 0 && durationMs > settings.slowThreshold;
}

/** The text of an access line: what was asked and how it ended. */
function accessText(entry: AccessEntry): string {
  if (entry.kind === 'http') return `${entry.method} ${entry.path ?? entry.route ?? ''} ${entry.status}`;
  const ended = `${entry.method} ${entry.code ?? entry.status}`;
  if (entry.kind === 'rpc') return ended;
  return `call ${ended}${entry.server === undefined ? '' : ` from ${entry.server}`}${entry.details ? `: ${entry.details}` : ''}`;
}

/** The outcome of an HTTP status: 5xx the server's failure, 4xx the caller's. */
export function httpOutcome(status: number): AccessOutcome {
  return status >= 500 ? 'server-error' : status >= 400 ? 'client-error' : 'success';
}
