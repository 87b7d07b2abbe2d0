/**
 * The durable TraceStore on lmdb (see internal/lmdb-tables.ts for the key layout). Pushes are
 * committed in groups (internal/commit-groups.ts): a group's writes are
 * lmdb-js asynchronous puts, committed in one transaction on lmdb's writer thread (so the B-tree
 * work is off the event loop); each push resolves after its group's commit is flushed to disk.
 */
import { setImmediate as yieldToLoop } from 'node:timers/promises';
import type { AttrValue, FetchRequest, QueryTrace } from '../query/storage.ts';
import { bytesToHex, type ExportTraceServiceRequestLike } from '../otlp/index.ts';
import { StoreError } from './errors.ts';
import { expiryCutoff, nowUnixNano, resolveRetention, type ResolvedRetention } from './retention.ts';
import type {
  PushResult,
  StoreOptions,
  StoreStats,
  SummaryQuery,
  SweepResult,
  TimeRange,
  TraceStore,
  TraceSummary,
} from './types.ts';
import { assembleTracesData } from './internal/assemble.ts';
import { parseTraceIdHex } from './internal/ids.ts';
import { spanRange, timeKey } from './internal/keys.ts';
import { candidateTraceIds } from './internal/lmdb-scan.ts';
import { openTables, readCounters, type Counters, type Tables } from './internal/lmdb-tables.ts';
import { deleteTrace, writeBatch } from './internal/lmdb-writes.ts';
import { CommitGroups } from './internal/commit-groups.ts';
import { prepareRequest, type PreparedBatch } from './internal/prepare.ts';
import { selfCheck } from './internal/self-check.ts';
import { SpanDecoder } from './internal/span-decoder.ts';
import { decodeSummary, matchesSummary, toTraceSummary, type SummaryRecord } from './internal/summary.ts';
import { catalogOf, type TagCatalogIndex } from './internal/tag-catalog.ts';
import { PendingWrites, notDurableMessage, settleCommitError, watchOrphanedCommitFailures } from '../lmdb/index.ts';

const SWEEP_BATCH = 500;
const BLOB_CACHE_LIMIT = 10_000;

/**
 * Opens (or creates) the durable store under `<dataDir>/traces` and starts its retention sweep.
 *
 * @example
 * const store = await openStore({ dataDir: '.zeroscope', retention: { maxAgeMs: 86_400_000 } });
 * await store.push(ExportTraceServiceRequest.decode(body));
 */
export async function openStore(options: StoreOptions): Promise<TraceStore> {
  return new LmdbTraceStore(options);
}

class LmdbTraceStore implements TraceStore {
  private readonly t: Tables;
  private counters: Counters;
  private readonly retention: ResolvedRetention;
  private readonly catalog: TagCatalogIndex;
  private readonly blobCache = new Map<string, Uint8Array>();
  private readonly decoder = new SpanDecoder((ref) => this.blob(ref));
  private readonly writes = new PendingWrites();
  private readonly timer: NodeJS.Timeout | undefined;
  private readonly maxDataBytes: number | undefined;
  private sweeping: Promise<SweepResult> | undefined;
  private readonly groups: CommitGroups;
  /** Commits queued by pushes and sweeps, not yet settled. */
  private readonly commits = new PendingWrites();
  /** Set while a sweep transaction or a repair runs: pushes queue no writes meanwhile. */
  private exclusive: Promise<unknown> | undefined;
  private repairing = false;
  private closing: Promise<void> | undefined;
  private readonly onError: (err: unknown) => void;
  private unreadableRecords = 0;
  private readonly unreadableLogged = new Set<string>();

  constructor(options: StoreOptions) {
    watchOrphanedCommitFailures();
    this.t = openTables(options.dataDir);
    const onError = options.onError ?? ((err: unknown) => console.error('zeroscope store:', err));
    this.onError = onError;
    const checked = selfCheck(this.t, readCounters(this.t));
    if (checked.repaired) onError(new Error(`zeroscope store: self-check repaired the counters (${checked.repaired})`));
    this.counters = checked.counters;
    this.maxDataBytes = options.maxDataBytes;
    this.groups = new CommitGroups((batch) => this.issue(batch), { lingerMs: options.commitLingerMs });
    this.retention = resolveRetention(options.retention);
    this.catalog = catalogOf(options);
    for (const id of this.t.tags.getKeys()) this.catalog.load(id);
    if (this.retention.sweepIntervalMs > 0) {
      this.timer = setInterval(() => void this.sweep().catch(onError), this.retention.sweepIntervalMs);
      this.timer.unref();
    }
  }

  async push(request: ExportTraceServiceRequestLike): Promise<PushResult> {
    this.assertOpen();
    const batch = prepareRequest(request, this.catalog);
    if (batch.spanCount === 0 && batch.newTags.length === 0) return { acceptedSpans: 0 };
    await this.writes.track(this.groups.add(batch));
    return { acceptedSpans: batch.spanCount };
  }

  /**
   * Writes a group's batch once no sweep or repair holds the store, all in one event turn so that
   * lmdb commits it in one transaction; resolves when it is committed and flushed to disk. The
   * groups never pass a trace that a batch still committing writes, so its reads are committed.
   */
  private async issue(batch: PreparedBatch): Promise<void> {
    while (this.exclusive) await this.exclusive;
    if (this.maxDataBytes !== undefined && this.counters.bytes >= this.maxDataBytes) {
      throw new StoreError('STORE_ERR_DISK_FULL', `insufficient storage: the store holds ${this.counters.bytes} bytes, its quota is ${this.maxDataBytes}; reads keep working`);
    }
    let committed: Promise<unknown>;
    try {
      // batch(): the puts are queued without a promise each, committed together.
      committed = this.t.root.batch(() => writeBatch(this.t, this.counters, batch));
    } catch (err) {
      // Thrown while queueing (nothing of this turn is committed yet, but some puts may be queued).
      this.repairAfterFailure();
      settleCommitError(err);
      throw err;
    }
    try {
      await this.commits.track(committed);
      await this.t.root.flushed;
    } catch (err) {
      this.repairAfterFailure();
      // lmdb grows its map by itself, so a failed commit is the disk refusing the write: ENOSPC,
      // or, as often on a full disk, a bare EIO "Commit failed". Either way the batch is not
      // durable and the client must keep it: a typed 507, whatever lmdb called it.
      settleCommitError(err);
      throw new StoreError('STORE_ERR_DISK_FULL', notDurableMessage(err), { cause: err });
    }
  }

  /**
   * After a failed commit the in-memory counters hold its changes, and commits queued behind it
   * may have stored them: once every write in flight has settled, the counters are read back and
   * rebuilt from the tables if they disagree. Pushes wait meanwhile.
   */
  private repairAfterFailure(): void {
    if (this.repairing) return;
    const repair = (async () => {
      // Commits only: pushes (tracked in `writes`) may be waiting for this repair.
      await this.commits.settled();
      this.counters = selfCheck(this.t, readCounters(this.t), { persist: false }).counters;
    })().catch((err: unknown) => {
      // Never a rejection nobody handles (that would end the process): keep the counters and
      // let the next commit's failure, if the disk is still full, answer 507 again.
      this.onError(err);
    }).finally(() => {
      if (this.exclusive === repair) this.exclusive = undefined;
      this.repairing = false;
    });
    this.repairing = true;
    this.exclusive = repair;
  }

  async getTrace(traceIdHex: string, range?: TimeRange): Promise<Uint8Array | null> {
    this.assertOpen();
    const traceId = parseTraceIdHex(traceIdHex);
    if (range && (range.startUnixNano !== undefined || range.endUnixNano !== undefined)) {
      const s = this.summary(traceId);
      if (!s || !matchesSummary(s, range)) return null;
    }
    const values = this.spanValues(traceId);
    return values.length === 0 ? null : assembleTracesData(values, (ref) => this.blob(ref));
  }

  async getTraceSummary(traceIdHex: string): Promise<TraceSummary | null> {
    this.assertOpen();
    const traceId = parseTraceIdHex(traceIdHex);
    const s = this.summary(traceId);
    return s ? toTraceSummary(bytesToHex(traceId), s) : null;
  }

  async listTraceSummaries(query: SummaryQuery = {}): Promise<TraceSummary[]> {
    this.assertOpen();
    const limit = query.limit ?? 20;
    const out: TraceSummary[] = [];
    const seen = new Set<string>();
    if (limit <= 0) return out;
    for (const traceId of candidateTraceIds(this.t, query, this.counters.maxTraceDurationNanos)) {
      const hex = bytesToHex(traceId);
      if (seen.has(hex)) continue;
      seen.add(hex);
      const s = this.summary(traceId);
      if (!s || !matchesSummary(s, query)) continue;
      out.push(toTraceSummary(hex, s));
      if (out.length >= limit) break;
    }
    return out;
  }

  async *fetchTraces(request: FetchRequest): AsyncIterable<QueryTrace> {
    this.assertOpen();
    const checkSummary = summaryNeeded(request);
    const seen = new Set<string>();
    let yielded = 0;
    for (const traceId of candidateTraceIds(this.t, request, this.counters.maxTraceDurationNanos)) {
      if (this.closing) return;
      const hex = bytesToHex(traceId);
      if (seen.has(hex)) continue;
      seen.add(hex);
      if (checkSummary) {
        const s = this.summary(traceId);
        if (!s || !matchesSummary(s, request)) continue;
      }
      let spans: QueryTrace['spans'];
      try {
        spans = this.spanValues(traceId).map((v) => this.decoder.decode(v, request.columns));
      } catch (err) {
        // One record that cannot be read (written by an older version, or damaged) must not fail
        // the search of every other trace: skipped, counted, logged once per trace.
        this.unreadable(hex, err);
        continue;
      }
      if (spans.length === 0) continue;
      yield { traceId: hex, spans };
      // Let receivers' pushes in during a long search.
      if (++yielded % 32 === 0) await yieldToLoop();
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
    // One sweep at a time: the timer and a caller may ask at once.
    if (!this.sweeping) {
      this.sweeping = this.writes.track(this.runSweep(now)).finally(() => {
        this.sweeping = undefined;
      });
    }
    return this.sweeping;
  }

  async stats(): Promise<StoreStats> {
    this.assertOpen();
    const { traces, spans, bytes } = this.counters;
    return { traces, spans, bytes, ...(this.unreadableRecords > 0 ? { unreadableRecords: this.unreadableRecords } : {}) };
  }

  close(): Promise<void> {
    if (!this.closing) {
      if (this.timer) clearInterval(this.timer);
      this.closing = (async () => {
        await this.writes.settled();
        await this.t.root.close();
      })();
    }
    return this.closing;
  }

  private async runSweep(now: bigint): Promise<SweepResult> {
    const result: SweepResult = { deletedTraces: 0, deletedSpans: 0 };
    const cutoff = expiryCutoff(now, this.retention.maxAgeMs);
    const remove = (traceId: Uint8Array, keep?: (s: SummaryRecord) => boolean): void => {
      const spans = deleteTrace(this.t, this.counters, traceId, keep);
      if (spans >= 0) {
        result.deletedTraces++;
        result.deletedSpans += spans;
      }
    };
    for (;;) {
      // Oldest end first, up to (not including) the cutoff.
      const keys = Array.from(this.t.byEnd.getKeys({ end: timeKey(cutoff, new Uint8Array(16)), limit: SWEEP_BATCH }));
      if (keys.length === 0) break;
      await this.exclusively(() => {
        for (const key of keys) remove(key.subarray(8), (s) => s.end >= cutoff);
      });
      if (keys.length < SWEEP_BATCH) break;
    }
    const maxBytes = this.retention.maxBytes;
    while (maxBytes !== undefined && this.counters.bytes > maxBytes) {
      const keys = Array.from(this.t.byEnd.getKeys({ limit: SWEEP_BATCH }));
      const before = result.deletedTraces;
      if (keys.length === 0) break;
      await this.exclusively(() => {
        for (const key of keys) {
          if (this.counters.bytes <= maxBytes) break;
          remove(key.subarray(8));
        }
      });
      if (result.deletedTraces === before) break;
    }
    await this.t.root.flushed;
    return result;
  }

  /**
   * Runs `fn` in a write transaction while pushes queue nothing: a push's counters snapshot,
   * taken before the callback ran but queued after it, would otherwise overwrite the callback's.
   */
  private async exclusively(fn: () => void): Promise<void> {
    while (this.exclusive) await this.exclusive;
    const txn = this.commits.track(this.t.root.transaction(fn).catch((err: unknown) => {
      settleCommitError(err);
      throw err;
    }));
    const held = txn.then(noop, noop);
    this.exclusive = held;
    try {
      await txn;
    } finally {
      if (this.exclusive === held) this.exclusive = undefined;
    }
  }

  private unreadable(traceHex: string, err: unknown): void {
    this.unreadableRecords++;
    if (this.unreadableLogged.has(traceHex) || this.unreadableLogged.size >= 1000) return;
    this.unreadableLogged.add(traceHex);
    this.onError(new Error(`zeroscope store: trace ${traceHex} has a record that cannot be read; searches skip it`, { cause: err }));
  }

  private summary(traceId: Uint8Array): SummaryRecord | undefined {
    const stored = this.t.traces.get(traceId);
    return stored ? decodeSummary(stored) : undefined;
  }

  private spanValues(traceId: Uint8Array): Uint8Array[] {
    const { start, end } = spanRange(traceId);
    return Array.from(this.t.spans.getRange({ start, end, inclusiveEnd: true }), (e) => e.value);
  }

  private blob(refHex: string): Uint8Array | undefined {
    let bytes = this.blobCache.get(refHex);
    if (!bytes) {
      bytes = this.t.blobs.get(Buffer.from(refHex, 'hex'));
      if (!bytes) return undefined;
      if (this.blobCache.size >= BLOB_CACHE_LIMIT) this.blobCache.clear();
      this.blobCache.set(refHex, bytes);
    }
    return bytes;
  }

  private assertOpen(): void {
    if (this.closing) throw new StoreError('STORE_ERR_CLOSED', 'the trace store is closed');
  }
}

function noop(): void {}

/**
 * Whether a candidate from candidateTraceIds can fail the hints without its summary being read:
 * the index scanned already proves the service or span name and a start no later than `end`;
 * a range start (checked against the trace's end), durations, and a span name next to a
 * service (only the service index is scanned) need the summary.
 */
function summaryNeeded(req: FetchRequest): boolean {
  return (
    req.startUnixNano !== undefined ||
    req.minTraceDurationNanos !== undefined ||
    req.maxTraceDurationNanos !== undefined ||
    (!!req.serviceNames?.length && !!req.spanNames?.length)
  );
}
