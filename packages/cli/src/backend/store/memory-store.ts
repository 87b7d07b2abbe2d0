/**
 * A TraceStore kept in memory, for tests of the layers above the store (receivers, query, API).
 * It shares the preparation, summary, assembly and decoding code with the lmdb store and passes
 * the same contract suite; it is not durable and scans linearly.
 */
import type { AttrValue, FetchRequest, QueryTrace } from '../query/storage.ts';
import { bytesToHex, type ExportTraceServiceRequestLike } from '../otlp/index.ts';
import { StoreError } from './errors.ts';
import { expiryCutoff, nowUnixNano, resolveRetention, type ResolvedRetention } from './retention.ts';
import type {
  PushResult,
  RetentionOptions,
  StoreStats,
  SummaryQuery,
  SweepResult,
  TimeRange,
  TraceStore,
  TraceSummary,
} from './types.ts';
import { assembleTracesData } from './internal/assemble.ts';
import { parseTraceIdHex } from './internal/ids.ts';
import { prepareRequest } from './internal/prepare.ts';
import { SpanDecoder } from './internal/span-decoder.ts';
import { matchesSummary, mergeSummary, toTraceSummary, type SummaryRecord } from './internal/summary.ts';
import { catalogOf, type TagCatalogIndex } from './internal/tag-catalog.ts';

/** Options of {@link openMemoryStore}: like openStore's, without a data directory. */
export interface MemoryStoreOptions {
  retention?: Omit<RetentionOptions, 'sweepIntervalMs'>;
  maxTagValuesPerKey?: number;
  maxTagKeysPerScope?: number;
  maxTagValues?: number;
}

/**
 * An in-memory TraceStore (no background sweep; call sweep()).
 *
 * @example
 * const store = await openMemoryStore();
 * await store.push(request);
 * for await (const trace of store.fetchTraces({ serviceNames: ['order'] })) console.log(trace.traceId);
 */
export async function openMemoryStore(options: MemoryStoreOptions = {}): Promise<TraceStore> {
  return new MemoryTraceStore(options);
}

interface StoredTrace {
  summary: SummaryRecord;
  /** span id hex → stored value */
  spans: Map<string, Uint8Array>;
}

class MemoryTraceStore implements TraceStore {
  private readonly traces = new Map<string, StoredTrace>();
  private readonly blobs = new Map<string, Uint8Array>();
  private readonly catalog: TagCatalogIndex;
  private readonly retention: ResolvedRetention;
  private readonly decoder = new SpanDecoder((ref) => this.blobs.get(ref));
  private counts: StoreStats = { traces: 0, spans: 0, bytes: 0 };
  private closed = false;

  constructor(options: MemoryStoreOptions) {
    this.catalog = catalogOf(options);
    this.retention = resolveRetention(options.retention);
  }

  async push(request: ExportTraceServiceRequestLike): Promise<PushResult> {
    this.assertOpen();
    const batch = prepareRequest(request, this.catalog);
    for (const blob of batch.blobs) if (!this.blobs.has(blob.refHex)) this.blobs.set(blob.refHex, blob.bytes);
    for (const trace of batch.traces) {
      const stored = this.traces.get(trace.traceHex);
      const spans = stored?.spans ?? new Map<string, Uint8Array>();
      const fresh = trace.spans.filter((span) => {
        const id = bytesToHex(span.key.subarray(16));
        if (spans.has(id)) return false;
        spans.set(id, span.value);
        return true;
      });
      if (fresh.length === 0) continue;
      const summary = mergeSummary(stored?.summary, fresh);
      this.counts.traces += stored ? 0 : 1;
      this.counts.spans += fresh.length;
      this.counts.bytes += summary.bytes - (stored?.summary.bytes ?? 0);
      this.traces.set(trace.traceHex, { summary, spans });
    }
    return { acceptedSpans: batch.spanCount };
  }

  async getTrace(traceIdHex: string, range?: TimeRange): Promise<Uint8Array | null> {
    this.assertOpen();
    const stored = this.traces.get(bytesToHex(parseTraceIdHex(traceIdHex)));
    if (!stored || (range && !matchesSummary(stored.summary, range))) return null;
    // Span id order, as lmdb's key order gives it.
    const values = [...stored.spans.entries()].sort(([a], [b]) => (a < b ? -1 : 1)).map(([, v]) => v);
    return assembleTracesData(values, (ref) => this.blobs.get(ref));
  }

  async getTraceSummary(traceIdHex: string): Promise<TraceSummary | null> {
    this.assertOpen();
    const hex = bytesToHex(parseTraceIdHex(traceIdHex));
    const stored = this.traces.get(hex);
    return stored ? toTraceSummary(hex, stored.summary) : null;
  }

  async listTraceSummaries(query: SummaryQuery = {}): Promise<TraceSummary[]> {
    this.assertOpen();
    return this.matching(query)
      .slice(0, Math.max(0, query.limit ?? 20))
      .map(([hex, t]) => toTraceSummary(hex, t.summary));
  }

  async *fetchTraces(request: FetchRequest): AsyncIterable<QueryTrace> {
    this.assertOpen();
    for (const [hex, t] of this.matching(request)) {
      if (this.closed) return;
      yield { traceId: hex, spans: [...t.spans.values()].map((v) => this.decoder.decode(v)) };
    }
  }

  async tagNames(scope: 'resource' | 'span'): Promise<string[]> {
    this.assertOpen();
    return this.catalog.names(scope);
  }

  async tagValues(scope: 'resource' | 'span', key: string, options?: { limit?: number }): Promise<AttrValue[]> {
    this.assertOpen();
    return this.catalog.values(scope, key, options?.limit);
  }

  tagCatalogPartial(scope: 'resource' | 'span' | 'intrinsic'): boolean {
    return this.catalog.isPartial(scope);
  }

  async spanNames(options?: { limit?: number }): Promise<string[]> {
    this.assertOpen();
    return this.catalog.values('intrinsic', 'name', options?.limit) as string[];
  }

  async sweep(now: bigint = nowUnixNano()): Promise<SweepResult> {
    this.assertOpen();
    const result: SweepResult = { deletedTraces: 0, deletedSpans: 0 };
    const cutoff = expiryCutoff(now, this.retention.maxAgeMs);
    const byEnd = [...this.traces.entries()].sort(([ha, a], [hb, b]) =>
      a.summary.end !== b.summary.end ? (a.summary.end < b.summary.end ? -1 : 1) : ha < hb ? -1 : 1,
    );
    const maxBytes = this.retention.maxBytes;
    for (const [hex, t] of byEnd) {
      const expired = t.summary.end < cutoff;
      if (!expired && (maxBytes === undefined || this.counts.bytes <= maxBytes)) break;
      this.traces.delete(hex);
      this.counts.traces--;
      this.counts.spans -= t.spans.size;
      this.counts.bytes -= t.summary.bytes;
      result.deletedTraces++;
      result.deletedSpans += t.spans.size;
    }
    return result;
  }

  async stats(): Promise<StoreStats> {
    this.assertOpen();
    return { ...this.counts };
  }

  async close(): Promise<void> {
    this.closed = true;
  }

  /** Traces passing the hints, newest start first (ties by trace id, descending, like lmdb). */
  private matching(req: FetchRequest): [string, StoredTrace][] {
    return [...this.traces.entries()]
      .filter(([, t]) => matchesSummary(t.summary, req))
      .sort(([ha, a], [hb, b]) =>
        a.summary.start !== b.summary.start ? (a.summary.start > b.summary.start ? -1 : 1) : ha > hb ? -1 : 1,
      );
  }

  private assertOpen(): void {
    if (this.closed) throw new StoreError('STORE_ERR_CLOSED', 'the trace store is closed');
  }
}
