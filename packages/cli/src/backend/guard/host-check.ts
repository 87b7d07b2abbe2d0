/**
 * DNS-rebinding protection. A web page on `evil.example` can point that name at 127.0.0.1 and
 * then read a loopback backend as its own origin; the only trace of it the backend sees is the
 * `Host` header naming the attacker's domain. So a loopback-bound backend answers only Host
 * values that name it: IP literals (a rebinding needs a domain name), `localhost` and its
 * subdomains, the bound host, and names given by --allowed-hosts, as Vite's `allowedHosts` does.
 */
import { isIP } from 'node:net';
import { isLoopbackHost } from './exposure.ts';

/** Options of {@link hostChecker}. */
export interface HostCheckOptions {
  /** The address the listeners bind. */
  bindHost: string;
  /** Extra names (optionally `name:port`), or `true` to answer any Host. */
  allowedHosts?: readonly string[] | true;
}

/** Splits a Host header into its lower-cased name (brackets kept off IPv6) and port. */
function splitHost(header: string): { name: string; port?: string } {
  const h = header.trim().toLowerCase();
  const v6 = /^\[([^\]]*)\](?::(\d+))?$/.exec(h);
  if (v6) return { name: v6[1]!, ...(v6[2] ? { port: v6[2] } : {}) };
  const colon = h.lastIndexOf(':');
  if (colon > 0 && /^\d+$/.test(h.slice(colon + 1))) return { name: h.slice(0, colon), port: h.slice(colon + 1) };
  return { name: h };
}

/**
 * The check of a request's Host header, or undefined when no check applies (bound beyond
 * loopback, where a token guards every listener, or `allowedHosts: true`).
 * @example
 * const allowed = hostChecker({ bindHost: '127.0.0.1' });
 * allowed?.('evil.example:3200'); // false
 */
export function hostChecker(options: HostCheckOptions): ((host: string | undefined) => boolean) | undefined {
  if (options.allowedHosts === true || !isLoopbackHost(options.bindHost)) return undefined;
  const extra = (options.allowedHosts ?? []).map((h) => splitHost(h));
  const bound = splitHost(options.bindHost).name;
  return (header) => {
    if (header === undefined || header === '') return false;
    const { name, port } = splitHost(header);
    if (isIP(name) !== 0 || name === bound) return true;
    if (name === 'localhost' || name.endsWith('.localhost')) return true;
    return extra.some((e) => e.name === name && (e.port === undefined || e.port === port));
  };
}

/** The 403 reason for a refused Host, telling how to allow it. */
export function hostRefusal(host: string | undefined): string {
  const name = host === undefined ? '(none)' : JSON.stringify(host);
  return `Host ${name} is not allowed: a loopback backend answers only localhost, IP addresses and the names in --allowed-hosts (this protects it from DNS rebinding); start it with --allowed-hosts ${host ? splitHost(host).name : 'NAME'} to allow this one`;
}
