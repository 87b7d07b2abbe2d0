import { trace, type Tracer } from '@opentelemetry/api';

/** The instrumentation scope name of every span zeroscope's handlers and interceptors make. */
export const TRACER_NAME = 'zeroscope';
/** zeroscope's version, reported as the instrumentation scope version (kept equal to package.json by a test). */
export const VERSION = '0.1.0';

/**
 * The tracer rest and rpc instrumentation use. Resolved on each call (cheap: the API caches it) so
 * spans go to whatever provider is registered now, including a test tracer installed later.
 */
export function tracer(): Tracer {
  return trace.getTracer(TRACER_NAME, VERSION);
}
