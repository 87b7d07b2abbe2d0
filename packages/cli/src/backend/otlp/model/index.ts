/**
 * The one set of OTLP shapes (./types.ts) and the one conversion to the query model: ids, 64-bit
 * values, AnyValue, and `toQuerySpan`.
 */
export type * from './types.ts';
export { SPAN_ID_BYTES, TRACE_ID_BYTES, bytesToHex, hexToBytes, isAllZero } from './ids.ts';
export { longToBigInt, toSafeNumber } from './longs.ts';
export { anyValueKind, anyValueToAttr, keyValuesToAttributes, stringAttribute } from './any-value.ts';
export { toSpanEvent, toSpanLink, toSpanResource, toSpanScope } from './span-parts.ts';
export type { SpanResource, SpanScope } from './span-parts.ts';
export { requestToQuerySpans, toQuerySpan } from './query-span.ts';
