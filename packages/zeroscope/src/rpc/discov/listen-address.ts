import { networkInterfaces, type NetworkInterfaceInfo } from 'node:os';

const ANY_HOSTS = new Set(['', '0.0.0.0', '[::]', '::']);

/**
 * The address other machines can dial for a server listening on `listenOn` (go-zero's
 * figureOutListenOn): a concrete host is kept; a wildcard one (`0.0.0.0`, `[::]`, empty) becomes
 * `$POD_IP` when set, else the machine's first non-internal IPv4, else 127.0.0.1.
 *
 * @example reachableAddress('0.0.0.0:8080') // '10.0.3.7:8080'
 */
export function reachableAddress(
  listenOn: string,
  env: NodeJS.ProcessEnv = process.env,
  interfaces: NodeJS.Dict<NetworkInterfaceInfo[]> = networkInterfaces(),
): string {
  const colon = listenOn.lastIndexOf(':');
  const host = listenOn.slice(0, colon);
  const port = listenOn.slice(colon + 1);
  if (!ANY_HOSTS.has(host)) return listenOn;
  const ip = env.POD_IP || firstExternalIpv4(interfaces) || '127.0.0.1';
  return `${ip.includes(':') ? `[${ip}]` : ip}:${port}`;
}

function firstExternalIpv4(interfaces: NodeJS.Dict<NetworkInterfaceInfo[]>): string | undefined {
  for (const infos of Object.values(interfaces)) {
    for (const info of infos ?? []) if (info.family === 'IPv4' && !info.internal) return info.address;
  }
  return undefined;
}
