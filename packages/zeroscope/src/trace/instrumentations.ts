/**
 * Installs official OpenTelemetry instrumentations: the outgoing-call pair the agent turns on by
 * default (`Telemetry.Instrument`), and any others a service adds with {@link instrument}.
 */
import { builtinModules, createRequire, syncBuiltinESMExports } from 'node:module';
import type { Instrumentation } from '@opentelemetry/instrumentation';
import type { TelemetryConf } from './config.ts';

export type { Instrumentation } from '@opentelemetry/instrumentation';

// The instrumentation packages (require-in-the-middle, the http and undici patchers, their
// semantic conventions) are required when first used, not imported: a service with tracing off,
// or with `Instrument` off, never loads them. They are CommonJS, so this loads the same module an
// import would.
const require = createRequire(import.meta.url);

/**
 * The client-side instrumentations `Telemetry.Instrument` switches on: `node:http`/`node:https`
 * requests and `fetch()`/undici. Both trace a request only under an active span (inside a handler,
 * or a span of your own): a poller or health check outside any request makes no root span of its
 * own. The http one leaves the server side alone: rest's Trace middleware already makes the SERVER
 * span, and a second one from `Server.prototype.emit` would double it.
 */
export function outgoingInstrumentations(conf: Pick<TelemetryConf, 'Instrument'>): Instrumentation[] {
  const list: Instrumentation[] = [];
  if (conf.Instrument.Http) {
    const { HttpInstrumentation } = require('@opentelemetry/instrumentation-http') as typeof import('@opentelemetry/instrumentation-http');
    list.push(new HttpInstrumentation({ disableIncomingRequestInstrumentation: true, requireParentforOutgoingSpans: true }));
  }
  if (conf.Instrument.Fetch) {
    const { UndiciInstrumentation } = require('@opentelemetry/instrumentation-undici') as typeof import('@opentelemetry/instrumentation-undici');
    list.push(new UndiciInstrumentation({ requireParentforSpans: true }));
  }
  return list;
}

/**
 * Enables official OpenTelemetry instrumentations (a database client's, say) against the global
 * tracer provider — the agent's once it starts, so this may run before it. Returns a function that
 * disables them again.
 *
 * An instrumentation patches a module as it is loaded: call this before the instrumented package is
 * imported, best in a file loaded first (`node --import ./instrument.js main.js`). Node's own
 * modules are the exception: already loaded, they are patched here in place.
 *
 * @example
 *   // instrument.ts
 *   import { PgInstrumentation } from '@opentelemetry/instrumentation-pg';
 *   import { instrument } from 'zeroscope/trace';
 *   instrument([new PgInstrumentation()]);
 */
export function instrument(instrumentations: Instrumentation[]): () => void {
  const { registerInstrumentations } = require('@opentelemetry/instrumentation') as typeof import('@opentelemetry/instrumentation');
  const off = registerInstrumentations({ instrumentations });
  patchLoadedBuiltins(instrumentations);
  return off;
}

/**
 * require-in-the-middle patches a module on its next `require`. Node's builtins are loaded long
 * before any set-up runs (rest's server imports node:http), so ask for each one the
 * instrumentations name once more, which patches its exports in place, then copy those into the
 * ESM bindings so `import { request } from 'node:http'` sees the patched function too.
 */
function patchLoadedBuiltins(instrumentations: Instrumentation[]): void {
  let patched = false;
  for (const inst of instrumentations) {
    for (const definition of (inst as unknown as { getModuleDefinitions?(): { name: string }[] }).getModuleDefinitions?.() ?? []) {
      const name = definition.name.replace(/^node:/, '');
      if (!BUILTINS.has(name)) continue;
      require(name);
      patched = true;
    }
  }
  if (patched) syncBuiltinESMExports();
}

const BUILTINS: ReadonlySet<string> = new Set(builtinModules);
