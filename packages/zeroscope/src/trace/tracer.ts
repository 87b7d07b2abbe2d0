import { ProxyTracerProvider, trace, type Tracer, type TracerProvider } from '@opentelemetry/api';
import { PRECISE_TIMES } from './lean/tracer.ts';
import { preciseTracer } from './precise-span.ts';

/** The instrumentation scope name of every span zeroscope's handlers and interceptors make. */
export const TRACER_NAME = 'zeroscope';
/** zeroscope's version, reported as the instrumentation scope version (kept equal to package.json by a test). */
export const VERSION = '0.1.0';

// The last tracer handed out and what it came from. Asking the SDK provider every call costs a
// key string and a Map lookup per span; checking that the registered provider is unchanged is
// two property reads.
let cachedFrom: TracerProvider | undefined;
let cachedTracer: Tracer | undefined;

/**
 * The tracer rest and rpc instrumentation use. Resolved on each call, so spans go to whatever
 * provider is registered now (including a test tracer installed later), but memoised while that
 * provider stays the same. Its spans take every time (start, events, end) from one monotonic clock
 * anchored once (clock.ts), so a child's start is as precise as its end.
 */
export function tracer(): Tracer {
  const global = trace.getTracerProvider();
  // Registration swaps the proxy's delegate (or, after trace.disable(), the proxy itself).
  const current = global instanceof ProxyTracerProvider ? global.getDelegate() : global;
  if (current !== cachedFrom || cachedTracer === undefined) {
    const found = trace.getTracer(TRACER_NAME, VERSION);
    // The agent's lean tracer (Pipeline: fast) keeps precise times itself; any other is wrapped.
    cachedTracer = PRECISE_TIMES in found ? found : preciseTracer(found);
    cachedFrom = current;
  }
  return cachedTracer;
}
