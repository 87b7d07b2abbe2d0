/**
 * Variant F (a diagnostic): the services run with `Telemetry.Disabled`, but with the context
 * manager the trace agent installs when tracing is on (OpenTelemetry's AsyncLocalStorage one)
 * registered before they start. F against A is what context propagation alone costs on this
 * Node version, with no span made; C against F is what the spans and their export add.
 */
import { context, createContextKey, ROOT_CONTEXT } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';

context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
// Node enables an AsyncLocalStorage's async_hooks on its first run() and keeps them on: switch
// them on now rather than rely on a middleware calling context.with() with tracing disabled.
context.with(ROOT_CONTEXT.setValue(createContextKey('zeroscope.bench.f'), true), () => undefined);
