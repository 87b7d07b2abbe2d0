import type { TextMapPropagator } from '@opentelemetry/api';
import { CompositePropagator, W3CBaggagePropagator, W3CTraceContextPropagator } from '@opentelemetry/core';
import { B3InjectEncoding, B3Propagator } from '@opentelemetry/propagator-b3';
import { JaegerPropagator } from '@opentelemetry/propagator-jaeger';
import type { PropagatorName } from './config.ts';

/** Each `OTEL_PROPAGATORS` name and the official propagator it stands for. */
const FACTORIES: Record<Exclude<PropagatorName, 'none'>, () => TextMapPropagator> = {
  tracecontext: () => new W3CTraceContextPropagator(),
  baggage: () => new W3CBaggagePropagator(),
  b3: () => new B3Propagator({ injectEncoding: B3InjectEncoding.SINGLE_HEADER }),
  b3multi: () => new B3Propagator({ injectEncoding: B3InjectEncoding.MULTI_HEADER }),
  jaeger: () => new JaegerPropagator(),
};

/**
 * The propagator `Telemetry.Propagators` names: the listed ones combined in order (extraction lets
 * a later one override an earlier one, as the SDK's composite does), or `none` — one that neither
 * reads nor writes any header.
 */
export function createPropagator(names: readonly PropagatorName[]): TextMapPropagator {
  const propagators = names.filter((n): n is Exclude<PropagatorName, 'none'> => n !== 'none').map((n) => FACTORIES[n]());
  return new CompositePropagator({ propagators });
}
