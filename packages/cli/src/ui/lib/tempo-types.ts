/**
 * The slices of Grafana Tempo's HTTP API JSON that the UI reads. Field names follow Tempo
 * (and OTLP's protojson mapping); everything is optional where Tempo may leave it out.
 */

/** OTLP AnyValue in protojson form. int64 values arrive as strings. */
export interface AnyValue {
  stringValue?: string;
  intValue?: string | number;
  doubleValue?: number | string;
  boolValue?: boolean;
  bytesValue?: string;
  arrayValue?: { values?: AnyValue[] };
  kvlistValue?: { values?: KeyValue[] };
}

export interface KeyValue {
  key: string;
  value?: AnyValue;
}

export interface OtlpEvent {
  timeUnixNano?: string | number;
  name?: string;
  attributes?: KeyValue[];
}

export interface OtlpLink {
  traceId?: string;
  spanId?: string;
  attributes?: KeyValue[];
}

export interface OtlpSpan {
  traceId?: string;
  spanId?: string;
  parentSpanId?: string;
  name?: string;
  /** "SPAN_KIND_SERVER" in protojson; some producers send the enum number. */
  kind?: string | number;
  startTimeUnixNano?: string | number;
  endTimeUnixNano?: string | number;
  attributes?: KeyValue[];
  events?: OtlpEvent[];
  links?: OtlpLink[];
  status?: { code?: string | number; message?: string };
}

export interface OtlpScopeSpans {
  scope?: { name?: string; version?: string };
  spans?: OtlpSpan[];
}

export interface OtlpResourceSpans {
  resource?: { attributes?: KeyValue[] };
  scopeSpans?: OtlpScopeSpans[];
  /** Older Tempo/OTLP JSON name for scopeSpans. */
  instrumentationLibrarySpans?: OtlpScopeSpans[];
}

/** Body of a trace by id: `/api/v2/traces/<id>` wraps it in `trace`, `/api/traces/<id>` uses `batches`. */
export interface TraceBody {
  resourceSpans?: OtlpResourceSpans[];
  batches?: OtlpResourceSpans[];
}

export interface TraceByIdResponse extends TraceBody {
  trace?: TraceBody;
  status?: string;
  message?: string;
}

/** A span inside a search result's span set. */
export interface SearchSpan {
  spanID: string;
  name?: string;
  startTimeUnixNano?: string;
  durationNanos?: string;
  attributes?: KeyValue[];
}

export interface SpanSet {
  spans?: SearchSpan[];
  matched?: number;
  attributes?: KeyValue[];
}

/** Per-service counts of a whole trace; proto3 JSON leaves out a zero `errorCount`. */
export interface ServiceStats {
  spanCount?: number;
  errorCount?: number;
}

export interface SearchTrace {
  traceID: string;
  rootServiceName?: string;
  rootTraceName?: string;
  startTimeUnixNano?: string;
  durationMs?: number;
  spanSet?: SpanSet;
  spanSets?: SpanSet[];
  /** Tempo 2.3+: every service of the trace, not just the matched spans. */
  serviceStats?: Record<string, ServiceStats>;
}

export interface SearchResponse {
  traces?: SearchTrace[];
  metrics?: Record<string, unknown>;
}

/** `/api/v2/search/tags`. */
export interface TagScopesResponse {
  scopes?: { name: string; tags?: string[] }[];
}

/** `/api/v2/search/tag/<tag>/values`. */
export interface TagValuesResponse {
  tagValues?: { type?: string; value?: string }[];
}

/** One sample of a TraceQL metrics series (`timestampMs` is an int64, so a string). */
export interface MetricsSample {
  timestampMs: string | number;
  /** A double; proto3 JSON writes NaN and infinities as strings. */
  value: number | string;
}

/** A span behind a series value: its labels carry `trace:id` (and `span:id`). */
export interface MetricsExemplar {
  labels?: KeyValue[];
  value: number | string;
  timestampMs: string | number;
}

export interface MetricsSeries {
  labels?: KeyValue[];
  samples?: MetricsSample[];
  exemplars?: MetricsExemplar[];
}

/** `/api/metrics/query_range`. */
export interface QueryRangeResponse {
  series?: MetricsSeries[];
  /** `PARTIAL` when a limit (e.g. max series) cut the answer short; `message` says which. */
  status?: string;
  message?: string;
  metrics?: Record<string, unknown>;
}

/** `/api/metrics/query`: one value per series over the whole range. */
export interface QueryInstantResponse {
  series?: { labels?: KeyValue[]; value: number | string }[];
  status?: string;
  message?: string;
  metrics?: Record<string, unknown>;
}
