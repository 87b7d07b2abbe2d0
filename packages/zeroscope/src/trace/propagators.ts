import type { TextMapPropagator } from '@opentelemetry/api';
import { CompositePropagator, W3CBaggagePropagator, W3CTraceContextPropagator } from '@opentelemetry/core';
import type * as B3 from '@opentelemetry/propagator-b3';
import type * as Jaeger from '@opentelemetry/propagator-jaeger';
import { loadOnUse } from '../internal/load-on-use.ts';
import type { PropagatorName } from './config.ts';

// The B3 and Jaeger propagators are loaded only when `Propagators` names them (the default is W3C
// tracecontext + baggage, which @opentelemetry/core holds).
const b3 = () => loadOnUse('@opentelemetry/propagator-b3') as typeof B3;
const jaeger = () => loadOnUse('@opentelemetry/propagator-jaeger') as typeof Jaeger;

/** Each `OTEL_PROPAGATORS` name and the official propagator it stands for. */
const FACTORIES: Record<Exclude<PropagatorName, 'none'>, () => TextMapPropagator> = {
  tracecontext: () => new W3CTraceContextPropagator(),
  baggage: () => new W3CBaggagePropagator(),
  b3: () => new (b3().B3Propagator)({ injectEncoding: b3().B3InjectEncoding.SINGLE_HEADER }),
  b3multi: () => new (b3().B3Propagator)({ injectEncoding: b3().B3InjectEncoding.MULTI_HEADER }),
  jaeger: () => new (jaeger().JaegerPropagator)(),
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
