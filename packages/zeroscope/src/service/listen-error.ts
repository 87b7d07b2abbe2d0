import { ServiceError } from './errors.ts';

/** The settings that chose a listen address: config keys (`Port`, `ListenOn`) or CLI flags. */
export interface ListenSetting {
  /** What sets the port, e.g. `Port` or `--query-port`. */
  port: string;
  /** What sets the host, e.g. `Host` or `--host` (default: the same as `port`). */
  host?: string;
}

/** What each bind failure means and what to change; `{port}`/`{host}` name the settings. */
const REASONS: Record<string, string> = {
  EADDRINUSE: 'address already in use (EADDRINUSE): another process is listening there; stop it or choose another port with {port}',
  EACCES: 'permission denied (EACCES): ports below 1024 need privileges; choose a port from 1024 up with {port}',
  EADDRNOTAVAIL: 'address not available (EADDRNOTAVAIL): the host is not an address of this machine; fix {host}',
};

/**
 * The errno of a failed listen: `err.code` from node:net, or the one grpc-js quotes in its
 * message ("No address added out of total 1 resolved errors: [listen EADDRINUSE: …]").
 */
export function listenErrno(err: unknown): string | undefined {
  for (let e: unknown = err; e instanceof Error; e = e.cause) {
    const code = (e as NodeJS.ErrnoException).code;
    if (typeof code === 'string' && /^E[A-Z]+$/.test(code)) return code;
    const quoted = /\b(EADDRINUSE|EACCES|EADDRNOTAVAIL)\b/.exec(e.message);
    if (quoted) return quoted[1];
  }
  return undefined;
}

/**
 * The one-line reason a server could not bind `address`, naming the setting that chose it, e.g.
 * `cannot listen on 127.0.0.1:8888 (Port): address already in use: …; … with Port`.
 */
export function describeListenFailure(err: unknown, address: string, setBy: ListenSetting): string {
  const errno = listenErrno(err);
  const host = setBy.host ?? setBy.port;
  const keys = host === setBy.port ? setBy.port : `${host}, ${setBy.port}`;
  const template = errno ? REASONS[errno] : undefined;
  const reason = template ? template.replace('{port}', setBy.port).replace('{host}', host) : err instanceof Error ? err.message : String(err);
  return `cannot listen on ${address} (${keys}): ${reason}`;
}

/**
 * A server's bind failure as `SERVICE_ERR_LISTEN`, its message from {@link describeListenFailure}
 * and the original error as `cause`. rest and rpc servers reject start() with it.
 */
export function listenError(err: unknown, address: string, setBy: ListenSetting): ServiceError {
  return new ServiceError('SERVICE_ERR_LISTEN', describeListenFailure(err, address, setBy), { cause: err });
}
