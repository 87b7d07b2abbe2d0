/**
 * Marks a line's fields as not for OTLP export: the OTLP stream skips lines carrying it, other
 * destinations write them as usual. A symbol, so no serializer ever writes it out.
 */
export const LOCAL_ONLY: unique symbol = Symbol('zeroscope.log.localOnly');
