/**
 * The query side's storage interface, kept where Tempo keeps it (pkg/traceql/storage.go): the
 * span model the TraceQL engine evaluates (QuerySpan, QueryTrace, attribute values) and the fetch
 * contract (FetchRequest, TraceFetcher) that storage implements. The store produces the model
 * (through otlp/model's `toQuerySpan`), the engine evaluates it, the API turns it into Tempo's
 * search JSON. Trace bodies (/api/traces/<id>) do not go through this model: they come out of the
 * store as the OTLP bytes that went in.
 *
 * Ids are lower-case hex (32 chars for trace ids, 16 for span ids); times are unix nanoseconds.
 */

/** An OTLP AnyValue as JS. int64 values that do not fit a double are kept as bigint. */
export type AttrValue = string | number | bigint | boolean | null | AttrValue[] | { [key: string]: AttrValue };

export type Attributes = Record<string, AttrValue>;

/**
 * Sets one attribute as an own property. Plain assignment of a key named `__proto__` would
 * replace the record's prototype instead (the attribute silently gone), so that key is defined;
 * readers look keys up with Object.hasOwn, so `constructor` or `toString` never read inherited
 * members.
 */
export function setAttribute(attributes: Attributes, key: string, value: AttrValue): void {
  if (key === '__proto__') Object.defineProperty(attributes, key, { value, enumerable: true, writable: true, configurable: true });
  else attributes[key] = value;
}

/** One attribute's value, own keys only (undefined when absent). */
export function getAttribute(attributes: Attributes, key: string): AttrValue | undefined {
  return Object.hasOwn(attributes, key) ? attributes[key] : undefined;
}

/** OTLP `Span.SpanKind` numbers. */
export const SpanKind = {
  UNSPECIFIED: 0,
  INTERNAL: 1,
  SERVER: 2,
  CLIENT: 3,
  PRODUCER: 4,
  CONSUMER: 5,
} as const;

/** OTLP `Status.StatusCode` numbers. */
export const StatusCode = { UNSET: 0, OK: 1, ERROR: 2 } as const;

export interface SpanEvent {
  name: string;
  timeUnixNano: bigint;
  attributes: Attributes;
}

export interface SpanLink {
  traceId: string;
  spanId: string;
  attributes: Attributes;
}

export interface QuerySpan {
  traceId: string;
  spanId: string;
  /** '' for a root span. */
  parentSpanId: string;
  name: string;
  /** One of SpanKind. */
  kind: number;
  startTimeUnixNano: bigint;
  endTimeUnixNano: bigint;
  durationNanos: number;
  /** One of StatusCode. */
  statusCode: number;
  statusMessage: string;
  /** resource attribute `service.name`, '' when absent. */
  serviceName: string;
  attributes: Attributes;
  resource: Attributes;
  scopeName: string;
  scopeVersion: string;
  /** The instrumentation scope's attributes (TraceQL `instrumentation.x`); absent reads as none. */
  scopeAttributes?: Attributes;
  events: SpanEvent[];
  links: SpanLink[];
}

export interface QueryTrace {
  traceId: string;
  /** Every stored span of the trace, in no particular order. */
  spans: QuerySpan[];
}

/**
 * What the query side asks storage for: hints that let the store skip traces early. The
 * engine evaluates the full query afterwards, so a store may return more than the hints allow,
 * never less.
 */
export interface FetchRequest {
  /** Only traces overlapping [start, end] (unix nanos). */
  startUnixNano?: bigint;
  endUnixNano?: bigint;
  /** A trace qualifies only if some span has one of these resource `service.name`s. */
  serviceNames?: string[];
  /** A trace qualifies only if some span has one of these names. */
  spanNames?: string[];
  /** Bounds on the whole trace's duration (first start to last end). */
  minTraceDurationNanos?: number;
  maxTraceDurationNanos?: number;
  /**
   * The span fields the consumer will read (Tempo's FetchSpansRequest columns). Without it every
   * field is filled. With it a store may leave out span attributes not listed, and events and
   * links when not asked for (never more than that: ids, names, times, kind, status, service,
   * scope and resource attributes are always filled).
   */
  columns?: FetchColumns;
}

/** Which optional span fields a fetch must fill; see {@link FetchRequest.columns}. */
export interface FetchColumns {
  /** Span attribute keys to fill, or 'all'. */
  spanAttributes: readonly string[] | 'all';
  events: boolean;
  links: boolean;
}

/** Implemented by the store, consumed by the TraceQL engine and the search API. */
export interface TraceFetcher {
  /** Candidate traces, newest (by trace start) first. Consumers stop iterating when they have enough. */
  fetchTraces(request: FetchRequest): AsyncIterable<QueryTrace>;
}

export type TagScope = 'resource' | 'span' | 'intrinsic' | 'event' | 'link';

/** Implemented by the store for the tag autocomplete APIs. */
export interface TagCatalog {
  /** Attribute keys seen in a scope (resource or span), sorted. */
  tagNames(scope: 'resource' | 'span', range?: { startUnixNano?: bigint; endUnixNano?: bigint }): Promise<string[]>;
  /**
   * True once the catalog of `scope` reached its caps ('intrinsic': span names): names and
   * values first seen after that are missing from its answers, and the tag APIs add what a scan
   * of the newest traces finds.
   */
  tagCatalogPartial(scope: 'resource' | 'span' | 'intrinsic'): boolean;
  /** Distinct values of an attribute in a scope, at most `limit`. */
  tagValues(
    scope: 'resource' | 'span',
    key: string,
    options?: { limit?: number; startUnixNano?: bigint; endUnixNano?: bigint },
  ): Promise<AttrValue[]>;
}
