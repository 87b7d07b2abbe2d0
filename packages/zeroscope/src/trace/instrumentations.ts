/**
 * Installs official OpenTelemetry instrumentations: the outgoing-call pair the agent turns on by
 * default (`Telemetry.Instrument`), and any others a service adds with {@link instrument}.
 */
import { builtinModules, createRequire, syncBuiltinESMExports } from 'node:module';
import { type ContextManager, trace } from '@opentelemetry/api';
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

/** Outgoing-call instrumentations whose install waits for the first span (or an idle moment). */
export interface DeferredInstrumentations {
  /** Installs them now if they are not yet (a no-op afterwards). */
  installNow(): void;
  /** Disables them, or cancels the install. */
  off(): void;
}

/**
 * Installs the outgoing-call instrumentations `conf.Instrument` enables the first time a context
 * holding a span is entered through `manager` (the agent's, installed globally), or earlier through
 * `installNow` (the service group calls it once every server listens, so the first request does
 * not pay for loading them). They trace a call only under an active span, and every span becomes
 * active through the context manager's `with` (a handler's, an interceptor's, `startActiveSpan`),
 * so installing them there, before the code inside runs, traces exactly the calls an install at
 * start-up would; start-up itself loads neither them nor require-in-the-middle. The check is an
 * own `with` on `manager` that removes itself once they are installed, so later calls pay nothing.
 * A failure to install is told to `warn` once; the request goes on.
 */
export function instrumentOnFirstSpan(
  manager: ContextManager,
  conf: Pick<TelemetryConf, 'Instrument'>,
  warn: (message: string) => void,
): DeferredInstrumentations {
  if (!conf.Instrument.Http && !conf.Instrument.Fetch) return { installNow() {}, off() {} };
  type With = (this: ContextManager, ...args: Parameters<ContextManager['with']>) => unknown;
  const target = manager as unknown as { with: With };
  const inherited = !Object.hasOwn(target, 'with');
  const original = target.with;
  let pending = true;
  let uninstall: (() => void) | undefined;
  const restore = () => {
    if (inherited) delete (target as { with?: With }).with;
    else target.with = original;
  };
  const installNow = () => {
    if (!pending) return;
    pending = false;
    restore();
    try {
      uninstall = instrument(outgoingInstrumentations(conf));
    } catch (err) {
      warn(`outgoing calls are not traced: installing the instrumentations failed: ${err instanceof Error ? err.message : String(err)}`);
    }
  };
  target.with = function withFirstSpan(this: ContextManager, ...args: Parameters<ContextManager['with']>): unknown {
    if (trace.getSpan(args[0]) !== undefined) installNow();
    return original.apply(this, args);
  };
  return {
    installNow,
    off() {
      if (pending) {
        pending = false;
        restore();
      }
      uninstall?.();
    },
  };
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
