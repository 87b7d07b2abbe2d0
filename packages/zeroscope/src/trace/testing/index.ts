/**
 * Test helper: installs a global tracer provider whose spans land in memory, with W3C trace
 * context + baggage propagation and an AsyncLocalStorage context manager, as the agent would.
 * Tests of rest and rpc assert on the spans it captures.
 *
 * @example
 *   const tracing = installTestTracer();
 *   after(() => tracing.shutdown());
 *   ... make a request ...
 *   assert.equal(tracing.spans()[0].name, 'GET /api/order/:id');
 */
import { context, propagation, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { CompositePropagator, W3CBaggagePropagator, W3CTraceContextPropagator } from '@opentelemetry/core';
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  type ReadableSpan,
  SimpleSpanProcessor,
} from '@opentelemetry/sdk-trace-base';
import { resourceFromAttributes } from '@opentelemetry/resources';

export { startFaultyOtlpHttpReceiver, startOtlpGrpcReceiver, startOtlpHttpReceiver, startZipkinReceiver } from './receivers.ts';
export type { FaultMode, FaultyReceiver, ReceivedExport, ReceivedSpan, ReceiverOptions, ReceiverTls, TestReceiver } from './receivers.ts';

export interface TestTracer {
  /** Finished spans, in the order they ended. */
  spans(): ReadableSpan[];
  /** Forget captured spans. */
  reset(): void;
  /** Unregister the global provider, propagator and context manager. */
  shutdown(): Promise<void>;
}

/** Installs the in-memory tracer globally, replacing any registered provider (see {@link TestTracer}). */
export function installTestTracer(serviceName = 'test'): TestTracer {
  // Take over from whatever is registered (an agent started by a server's setUp, an earlier test
  // tracer): the API refuses a second registration silently, which would leave spans uncaptured.
  trace.disable();
  propagation.disable();
  context.disable();
  const exporter = new InMemorySpanExporter();
  const provider = new BasicTracerProvider({
    resource: resourceFromAttributes({ 'service.name': serviceName }),
    spanProcessors: [new SimpleSpanProcessor(exporter)],
  });
  const contextManager = new AsyncLocalStorageContextManager().enable();
  context.setGlobalContextManager(contextManager);
  propagation.setGlobalPropagator(
    new CompositePropagator({ propagators: [new W3CTraceContextPropagator(), new W3CBaggagePropagator()] }),
  );
  trace.setGlobalTracerProvider(provider);
  return {
    spans: () => exporter.getFinishedSpans(),
    reset: () => exporter.reset(),
    async shutdown() {
      await provider.shutdown();
      trace.disable();
      propagation.disable();
      context.disable();
    },
  };
}
