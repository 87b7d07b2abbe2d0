/**
 * The token rule of the query port, for gRPC calls: with a token configured, a call must carry it
 * in its metadata as `authorization: Bearer <token>` or `x-zeroscope-token: <token>`, the two
 * headers an API client sends over HTTP. Grafana copies the data source's custom HTTP headers into
 * the metadata of its streaming calls, so one header setting serves both.
 */
import type { Metadata } from '@grpc/grpc-js';
import { TOKEN_HEADER, checkHttpToken, tokenMatcher } from '../../guard/index.ts';
import { UnauthorizedError } from '../errors.ts';

/** Builds the check; without a token every call passes. Throws UnauthorizedError. */
export function metadataTokenGuard(token: string | undefined): (metadata: Metadata) => void {
  if (token === undefined) return () => {};
  const matches = tokenMatcher(token);
  return (metadata) => {
    const first = (key: string): string | undefined => {
      const value = metadata.get(key)[0];
      return typeof value === 'string' ? value : undefined;
    };
    const headers = { authorization: first('authorization'), [TOKEN_HEADER]: first(TOKEN_HEADER) };
    if (checkHttpToken({ headers }, matches) === 'none') {
      throw new UnauthorizedError('missing or invalid token: send the metadata authorization: Bearer <token> (or x-zeroscope-token)');
    }
  };
}
