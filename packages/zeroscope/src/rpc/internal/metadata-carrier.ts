import type { Metadata } from '@grpc/grpc-js';
import type { TextMapGetter, TextMapSetter } from '@opentelemetry/api';

/** Lets the global propagator read trace context from incoming gRPC metadata. */
export const metadataGetter: TextMapGetter<Metadata> = {
  keys: (carrier) => Object.keys(carrier.getMap()),
  get(carrier, key) {
    const values = carrier.get(key);
    if (values.length === 0) return undefined;
    // Binary (-bin) values are never trace context; only strings are handed to the propagator.
    const strings = values.filter((v): v is string => typeof v === 'string');
    return strings.length === 0 ? undefined : strings.length === 1 ? strings[0] : strings;
  },
};

/** Lets the global propagator write trace context into outgoing gRPC metadata. */
export const metadataSetter: TextMapSetter<Metadata> = {
  set(carrier, key, value) {
    carrier.set(key, value);
  },
};
