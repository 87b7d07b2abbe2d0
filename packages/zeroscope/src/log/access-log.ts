import { LOCAL_ONLY } from './local-only.ts';
import { accessLogSettings, logger } from './logger.ts';

/** One finished HTTP request or RPC call, as the access-log middleware saw it. */
export interface AccessEntry {
  /** `http` for the rest server, `rpc` for an rpc server call. */
  kind: 'http' | 'rpc';
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
  /** Wall time from the request's arrival to its answer. */
  durationMs: number;
  /** A failure of the server (5xx, or a gRPC code that blames the server): always logged, at error. */
  failed: boolean;
}

/**
 * Writes the access log line of one request or call (go-zero's LogHandler and its rpc twin) to the
 * process logger, inside the request's context so the line carries its trace: at error when the
 * server failed, at warn with `slow: true` past `Log.SlowThreshold` (go-zero's `slowcall`),
 * otherwise at info, and only when `Log.Stat` is on. Fields: `kind`, `method`, `route`, `path`,
 * `status`, `code`, `duration_ms`.
 */
export function logAccess(entry: AccessEntry): void {
  const settings = accessLogSettings();
  const slow = settings.slowThreshold > 0 && entry.durationMs > settings.slowThreshold;
  if (!entry.failed && !slow && !settings.stat) return;
  const log = logger();
  // Marked in place (undefined when not local) rather than copied into a second object per line.
  const localOnly = !entry.failed && !slow && !settings.exportAccess;
  const fields = {
    kind: entry.kind,
    method: entry.method,
    route: entry.route,
    path: entry.path,
    status: entry.status,
    code: entry.code,
    duration_ms: Math.round(entry.durationMs * 1000) / 1000,
    slow: slow || undefined,
    [LOCAL_ONLY]: localOnly || undefined,
  };
  const what = entry.kind === 'http'
    ? `${entry.method} ${entry.path ?? entry.route ?? ''} ${entry.status}`
    : `${entry.method} ${entry.code ?? entry.status}`;
  if (entry.failed) log.error(fields, slow ? `slowcall ${what}` : what);
  else if (slow) log.warn(fields, `slowcall ${what}`);
  else log.info(fields, what);
}
