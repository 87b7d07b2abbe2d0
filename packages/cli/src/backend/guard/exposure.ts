/**
 * The rule for binding: loopback is private to this machine and needs nothing; any other address
 * exposes traces (which carry URLs, user ids, SQL) and the write endpoints to the network, so it
 * needs an auth token.
 */
import { isIP } from 'node:net';
import { ExposureError } from './errors.ts';

/** Shortest token accepted on an exposed backend (a 128-bit hex string is 32). */
export const MIN_TOKEN_LENGTH = 16;

/** True for `localhost`, 127.0.0.0/8, ::1 and their IPv4-mapped IPv6 forms. */
export function isLoopbackHost(host: string): boolean {
  const h = host.trim().toLowerCase().replace(/^\[(.*)\]$/, '$1');
  if (h === 'localhost' || h === '::1' || h === '0:0:0:0:0:0:0:1') return true;
  const v4 = h.startsWith('::ffff:') ? h.slice(7) : h;
  return isIP(v4) === 4 && v4.startsWith('127.');
}

/**
 * Throws ExposureError when `host` is not loopback and `authToken` is missing or shorter than
 * MIN_TOKEN_LENGTH. `names` words the message after the caller's flags or variables.
 */
export function assertExposureAllowed(
  host: string,
  authToken: string | undefined,
  names: { host?: string; token?: string } = {},
): void {
  if (isLoopbackHost(host)) return;
  const hostName = names.host ?? 'host';
  const tokenName = names.token ?? 'authToken';
  if (authToken === undefined || authToken === '') {
    throw new ExposureError(
      `${names.host ? `${names.host} ` : ''}${host} is not a loopback address: anyone who can reach it could read every trace and write spans. ` +
        `Set ${tokenName} (e.g. $(openssl rand -hex 16)) to require a token, or bind 127.0.0.1.`,
    );
  }
  if (authToken.length < MIN_TOKEN_LENGTH) {
    throw new ExposureError(`${tokenName} must be at least ${MIN_TOKEN_LENGTH} characters when ${hostName} is ${host}`);
  }
}
