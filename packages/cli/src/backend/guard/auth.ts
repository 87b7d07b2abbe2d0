/**
 * The shared-token check used on every listener when the backend is exposed: OTLP/HTTP and
 * Zipkin (headers), OTLP/gRPC (metadata), and the query API and UI (headers, a cookie, or a
 * one-time `?token=` that the UI turns into the cookie). Tokens are compared as SHA-256 digests
 * with crypto.timingSafeEqual, so neither the token nor its length leaks through timing.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

/** Header carrying the token without the Bearer scheme (handy for curl and exporters' headers). */
export const TOKEN_HEADER = 'x-zeroscope-token';
/** Cookie the UI keeps the token in (HttpOnly, SameSite=Strict). */
export const TOKEN_COOKIE = 'zeroscope_token';
/** Query parameter that logs a browser in: the server answers with the cookie and a redirect. */
export const TOKEN_QUERY_PARAM = 'token';

/** A constant-time matcher for one expected token. */
export function tokenMatcher(token: string): (candidate: unknown) => boolean {
  const expected = createHash('sha256').update(token).digest();
  return (candidate) =>
    typeof candidate === 'string' && candidate !== '' && timingSafeEqual(createHash('sha256').update(candidate).digest(), expected);
}

/** The token of an `Authorization: Bearer <token>` value, or undefined. */
export function bearerToken(authorization: unknown): string | undefined {
  if (typeof authorization !== 'string') return undefined;
  const m = /^Bearer[ \t]+(\S+)[ \t]*$/i.exec(authorization);
  return m?.[1];
}

/** The value of one cookie from a Cookie header, or undefined. */
export function cookieValue(cookieHeader: unknown, name: string): string | undefined {
  if (typeof cookieHeader !== 'string') return undefined;
  for (const part of cookieHeader.split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0 || part.slice(0, eq).trim() !== name) continue;
    try {
      return decodeURIComponent(part.slice(eq + 1).trim());
    } catch {
      return undefined;
    }
  }
  return undefined;
}

/** Where a request's token was found; `none` when it carried none that matched. */
export type TokenSource = 'header' | 'cookie' | 'query' | 'none';

/**
 * Checks an HTTP request against `matches`: `Authorization: Bearer`, then `x-zeroscope-token`,
 * then (when `browser` is set) the cookie and the `token` query parameter. Only `req.headers` is
 * read, so gRPC metadata can be checked through the same rule.
 */
export function checkHttpToken(
  req: Pick<IncomingMessage, 'headers'>,
  matches: (candidate: unknown) => boolean,
  browser?: { query: URLSearchParams },
): TokenSource {
  if (matches(bearerToken(req.headers.authorization)) || matches(req.headers[TOKEN_HEADER])) return 'header';
  if (!browser) return 'none';
  if (matches(cookieValue(req.headers.cookie, TOKEN_COOKIE))) return 'cookie';
  if (matches(browser.query.get(TOKEN_QUERY_PARAM) ?? undefined)) return 'query';
  return 'none';
}

/** The Set-Cookie value that keeps a browser logged in for the session. */
export function tokenCookie(token: string): string {
  return `${TOKEN_COOKIE}=${encodeURIComponent(token)}; Path=/; HttpOnly; SameSite=Strict`;
}
