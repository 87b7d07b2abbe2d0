/**
 * Turns a listener's bind failure during `up` / `demo` into a message naming the address, the
 * flag (and variable) that set it and the reason, instead of the listener's own wording.
 */
import { describeListenFailure, listenErrno } from 'zeroscope/service';
import type { BackendConfig } from '../backend/index.ts';
import { UP_FLAGS } from './up.ts';

/** Each backend port, with the `up` flag that sets it. */
const PORT_SETTINGS = [
  ['query', 'queryPort'],
  ['otlpHttp', 'otlpHttpPort'],
  ['otlpGrpc', 'otlpGrpcPort'],
  ['zipkin', 'zipkinPort'],
] as const;

function flagOf(setting: string): string {
  const flag = UP_FLAGS.find((f) => f.setting === setting);
  return flag ? `--${flag.name}${flag.env ? ` or $${flag.env}` : ''}` : setting;
}

/** The port a failed listen names: node:net's `port`, or the `host:port` grpc-js quotes. */
function failedPort(err: unknown): number | undefined {
  for (let e: unknown = err; e instanceof Error; e = e.cause) {
    const port = (e as { port?: unknown }).port;
    if (typeof port === 'number') return port;
    const quoted = /(?:EADDRINUSE|EACCES|EADDRNOTAVAIL)[^\]]*?:(\d+)\]?\s*$/m.exec(e.message);
    if (quoted) return Number(quoted[1]);
  }
  return undefined;
}

/**
 * The message for a backend that could not start because a port could not be bound, e.g.
 * `cannot listen on 127.0.0.1:3200 (--query-port or $ZEROSCOPE_QUERY_PORT): address already in
 * use …`; undefined when `err` is not a bind failure of one of `config`'s ports.
 */
export function backendListenFailure(err: unknown, config: BackendConfig): string | undefined {
  if (!listenErrno(err)) return undefined;
  const port = failedPort(err);
  const match = PORT_SETTINGS.filter(([key]) => config.ports[key] === port);
  if (port === undefined || match.length === 0) return undefined;
  const flags = match.map(([, setting]) => flagOf(setting)).join(', ');
  const host = config.host.includes(':') ? `[${config.host}]` : config.host;
  return describeListenFailure(err, `${host}:${port}`, { host: flagOf('host'), port: flags });
}

/**
 * A demo service's start-up failure (its output) restated with the `demo` flag that chose its port,
 * or undefined when it was not a bind failure.
 */
export function serviceListenFailure(name: string, output: string, flag: string): string | undefined {
  const failed = /cannot listen on (\S+) \([^)]*\): [^(]*\((E[A-Z]+)\)/.exec(output);
  if (!failed) return undefined;
  const err = Object.assign(new Error(failed[2]!), { code: failed[2] });
  return `${name}: ${describeListenFailure(err, failed[1]!, { port: flag })}`;
}
