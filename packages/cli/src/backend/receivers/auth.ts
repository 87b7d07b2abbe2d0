/** The optional shared-token check of the receivers (the check itself lives in ../guard). */
import { bearerToken, tokenMatcher } from '../guard/index.ts';
import { UnauthorizedError } from './errors.ts';

/**
 * Builds a checker for `Authorization: Bearer <token>` or `x-zeroscope-token: <token>` (HTTP
 * headers or gRPC metadata). The comparison is constant-time (see guard/auth.ts).
 */
function tokenChecker(token: string): (authorization: unknown, zeroscopeToken: unknown) => boolean {
  const matches = tokenMatcher(token);
  return (authorization, zeroscopeToken) => matches(bearerToken(authorization)) || matches(zeroscopeToken);
}

/**
 * The receivers' guard: throws UnauthorizedError unless the request carries `token` (as
 * {@link tokenChecker} reads it); without a token configured every request passes.
 */
export function tokenGuard(token: string | undefined): (authorization: unknown, zeroscopeToken: unknown) => void {
  if (token === undefined) return () => {};
  const authorized = tokenChecker(token);
  return (authorization, zeroscopeToken) => {
    if (!authorized(authorization, zeroscopeToken)) throw new UnauthorizedError();
  };
}
