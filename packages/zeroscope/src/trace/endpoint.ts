import { TraceError } from './errors.ts';

const HAS_SCHEME = /^[a-z][a-z0-9+.-]*:\/\//i;

/**
 * Builds an exporter URL from a `Telemetry.Endpoint` given as `host:port` (go-zero's form) or as a
 * full URL. A URL that carries its own path keeps it; otherwise `defaultPath` is appended.
 * `secure` picks https for the `host:port` form only; a full URL says its own scheme.
 */
export function endpointUrl(endpoint: string, options: { defaultPath?: string; secure?: boolean; batcher: string }): URL {
  const raw = HAS_SCHEME.test(endpoint) ? endpoint : `${options.secure ? 'https' : 'http'}://${endpoint}`;
  let url: URL;
  try {
    url = new URL(raw);
  } catch (err) {
    throw new TraceError('TRACE_ERR_BAD_ENDPOINT', `Telemetry.Endpoint "${endpoint}" is not host:port or a URL (Batcher ${options.batcher})`, { cause: err });
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new TraceError('TRACE_ERR_BAD_ENDPOINT', `Telemetry.Endpoint "${endpoint}": expected http(s), got ${url.protocol} (Batcher ${options.batcher})`);
  }
  if ((url.pathname === '' || url.pathname === '/') && options.defaultPath) url.pathname = options.defaultPath;
  return url;
}
