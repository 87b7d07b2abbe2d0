/**
 * What the query API does with a request when a token is required. API clients (Grafana, curl)
 * send a header; a browser opens the UI once as `/?token=<token>`, gets the token back as an
 * HttpOnly SameSite=Strict cookie and a redirect to the same page without it (so the token does
 * not linger in the address bar, history or Referer), and its same-origin fetches carry the cookie.
 */
import type { IncomingMessage } from 'node:http';
import { TOKEN_QUERY_PARAM, checkHttpToken, tokenCookie, tokenMatcher } from './auth.ts';

/** The verdict on one request. */
export type QueryAuthDecision =
  | { kind: 'allow' }
  /** A page opened with a valid `?token=`: set `cookie`, redirect (303) to `location`. */
  | { kind: 'login'; location: string; cookie: string }
  | { kind: 'deny' };

/** Paths answered without a token: readiness probes carry no secrets. */
export const PUBLIC_PATHS: readonly string[] = ['/ready'];

/**
 * Builds the check for `token`.
 * @example
 * const decide = queryAuth('s3cret-s3cret-s3cret');
 * if (decide(req).kind === 'deny') answer401();
 */
export function queryAuth(token: string): (req: IncomingMessage) => QueryAuthDecision {
  const matches = tokenMatcher(token);
  return function decide(req) {
    const url = req.url ?? '/';
    const q = url.indexOf('?');
    const path = q < 0 ? url : url.slice(0, q);
    if (PUBLIC_PATHS.includes(path)) return { kind: 'allow' };
    const query = new URLSearchParams(q < 0 ? '' : url.slice(q + 1));
    const source = checkHttpToken(req, matches, { query });
    if (source === 'none') return { kind: 'deny' };
    if (source !== 'query' || path.startsWith('/api/')) return { kind: 'allow' };
    query.delete(TOKEN_QUERY_PARAM);
    const rest = query.toString();
    const here = sameOriginPath(path);
    return { kind: 'login', location: rest ? `${here}?${rest}` : here, cookie: tokenCookie(token) };
  };
}

/**
 * `path` as a redirect target that stays on this origin: browsers read `//evil.example/` and
 * `/\\evil.example/` as another host (an open redirect), so leading slashes and backslashes
 * collapse to one slash.
 */
export function sameOriginPath(path: string): string {
  return `/${path.replace(/^[\\/\s]+/, '')}`;
}
