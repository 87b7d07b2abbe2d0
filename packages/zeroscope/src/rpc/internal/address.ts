import { splitHostPort } from '../../trace/index.ts';

/** Host and port of a server, for the `server.address` / `server.port` span attributes. */
export interface ServerAddress {
  host: string;
  port?: number;
}

/**
 * Best-effort host/port of a `host:port` endpoint or a single-address gRPC target
 * (`dns:///user:8080`, `ipv4:10.0.0.1:80`). Multi-address and unix targets give undefined.
 */
export function parseServerAddress(target: string): ServerAddress | undefined {
  const rest = target.replace(/^(?:dns|ipv4|ipv6):(?:\/\/[^/]*\/)?/, '');
  if (rest === '' || rest.includes(',') || rest.startsWith('unix')) return undefined;
  const { host, port } = splitHostPort(rest);
  return port === undefined || port <= 0 ? { host } : { host, port };
}
