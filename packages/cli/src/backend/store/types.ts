/**
 * The store's public shapes: what it answers, and the TraceStore contract both implementations
 * (lmdb, memory) meet. What it accepts is an OTLP export request in otlp/model's shapes, from any
 * receiver's decoder or built by hand.
 */
import type { ExportTraceServiceRequestLike } from '../otlp/index.ts';
import type { FetchRequest, TagCatalog, TraceFetcher } from '../query/storage.ts';

/** What a push answers once the spans are durable. */
export interface PushResult {
  /** Spans accepted, duplicates of stored spans included (they are idempotent, not rejected). */
  acceptedSpans: number;
}

/** A time window in unix nanoseconds; either side may be open. */
export interface TimeRange {
  startUnixNano?: bigint;
  endUnixNano?: bigint;
}

/** Per-service counts inside one trace (Tempo's search `serviceStats`). */
export interface ServiceStats {
  spanCount: number;
  errorCount: number;
}

/** The per-trace record kept up to date on every push, so search can skip decoding spans. */
export interface TraceSummary {
  traceId: string;
  /** Earliest span start and latest span end seen so far. */
  startUnixNano: bigint;
  endUnixNano: bigint;
  durationNanos: number;
  /** '' until the root span (no parent) arrives. */
  rootServiceName: string;
  rootSpanName: string;
  spanCount: number;
  errorCount: number;
  /** Keyed by resource `service.name` ('' when absent). */
  serviceStats: Record<string, ServiceStats>;
  /** Stored bytes of the trace's spans. */
  bytes: number;
}

/** Filters for {@link TraceStore.listTraceSummaries}: the fetch hints plus a limit. */
export interface SummaryQuery extends FetchRequest {
  /** At most this many summaries (default 20). */
  limit?: number;
}

/** How long traces are kept. */
export interface RetentionOptions {
  /** Traces whose last span ended longer ago than this are deleted (default 7 days). */
  maxAgeMs?: number;
  /** When set, the oldest traces (by end) are deleted until the stored bytes are below this. */
  maxBytes?: number;
  /** How often the background sweep runs (default 60 s; 0 disables it, sweep() still works). */
  sweepIntervalMs?: number;
}

/** Options of {@link openStore}. */
export interface StoreOptions {
  /** The store keeps its lmdb files in `<dataDir>/traces`. */
  dataDir: string;
  retention?: RetentionOptions;
  /** Distinct values kept per tag key for autocomplete (default 1000). */
  maxTagValuesPerKey?: number;
  /** Tag keys kept per scope for autocomplete (default 5000); see store/internal/tag-catalog.ts. */
  maxTagKeysPerScope?: number;
  /** Tag values kept for autocomplete across all keys (default 100,000). */
  maxTagValues?: number;
  /** Where background sweep failures go (default: console.error). */
  onError?: (err: unknown) => void;
  /**
   * A quota on stored span bytes (`stats().bytes`): once reached, pushes fail with
   * STORE_ERR_DISK_FULL (507) until retention or a sweep frees room. Unlimited by default.
   */
  maxDataBytes?: number;
  /**
   * The durable store commits pushes in groups: how long the first push of a group waits for
   * others to share its commit while pushes overlap, in ms (default 20, see commit-groups.ts; 0
   * commits at once). Pushes that arrive while a commit runs wait for it either way. The memory
   * store has no commits and ignores it.
   */
  commitLingerMs?: number;
}

/** Counts kept by the store; `bytes` is the stored span payload, not the database file size. */
export interface StoreStats {
  traces: number;
  spans: number;
  bytes: number;
  /** Stored traces a search skipped because a record would not decode (each logged once). */
  unreadableRecords?: number;
}

/** What one retention sweep removed. */
export interface SweepResult {
  deletedTraces: number;
  deletedSpans: number;
}

/** The backend's durable trace store: receivers push into it, the query API reads from it. */
export interface TraceStore extends TraceFetcher, TagCatalog {
  /** Stores every span of an OTLP export request; resolves once they are durable on disk. */
  push(request: ExportTraceServiceRequestLike): Promise<PushResult>;
  /**
   * The trace as encoded OTLP `TracesData` (spans regrouped under their resource and scope), or
   * null when unknown or, with a range, when the trace does not overlap it.
   */
  getTrace(traceIdHex: string, range?: TimeRange): Promise<Uint8Array | null>;
  /** The trace's summary record, or null when unknown. */
  getTraceSummary(traceIdHex: string): Promise<TraceSummary | null>;
  /** Summaries matching the hints, newest (by trace start) first. */
  listTraceSummaries(query?: SummaryQuery): Promise<TraceSummary[]>;
  /** Distinct span names seen (capped like tag values), sorted; for the `name` intrinsic. */
  spanNames(options?: { limit?: number }): Promise<string[]>;
  /** Runs retention now (the store also runs it periodically). */
  sweep(nowUnixNano?: bigint): Promise<SweepResult>;
  stats(): Promise<StoreStats>;
  /** Waits for pending writes, then closes. Safe to call twice. */
  close(): Promise<void>;
}
