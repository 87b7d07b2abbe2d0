/** The optional shared-token check of the receivers. */
import { createHash, timingSafeEqual } from 'node:crypto';

/**
 * Builds a checker for `Authorization: Bearer <token>` or `x-zeroscope-token: <token>`.
 * Compares digests in constant time so the token does not leak through timing.
 */
export function tokenChecker(token: string): (authorization: unknown, zeroscopeToken: unknown) => boolean {
  const expected = createHash('sha256').update(token).digest();
  const matches = (candidate: unknown): boolean =>
    typeof candidate === 'string' && timingSafeEqual(createHash('sha256').update(candidate).digest(), expected);
  return (authorization, zeroscopeToken) => {
    if (typeof authorization === 'string') {
      const m = /^Bearer\s+(.+)$/i.exec(authorization.trim());
      if (m && matches(m[1])) return true;
    }
    return matches(zeroscopeToken);
  };
}
