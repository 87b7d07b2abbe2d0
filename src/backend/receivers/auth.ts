/** The optional shared-token check of the receivers (the check itself lives in ../guard). */
import { bearerToken, tokenMatcher } from '../guard/index.ts';

/**
 * Builds a checker for `Authorization: Bearer <token>` or `x-zeroscope-token: <token>` (HTTP
 * headers or gRPC metadata). The comparison is constant-time (see guard/auth.ts).
 */
export function tokenChecker(token: string): (authorization: unknown, zeroscopeToken: unknown) => boolean {
  const matches = tokenMatcher(token);
  return (authorization, zeroscopeToken) => matches(bearerToken(authorization)) || matches(zeroscopeToken);
}
