/**
 * The durable LogStore on lmdb (layout in internal/keys.ts). One write transaction per push,
 * resolved after the commit is flushed to disk, as the trace store does.
 */
import { setImmediate as yieldToLoop } from 'node:timers/promises';
import { MAX_U64, PendingWrites, notDurableMessage, settleCommitError, watchOrphanedCommitFailures } from '../lmdb/index.ts';
import type { ExportLogsServiceRequest } from '../otlp/index.ts';
import { LogStoreError } from './errors.ts';
import { LOG_LEVELS } from './levels.ts';
import { bounds, indexKey, recordKey, servicePrefix, tailOf } from './internal/keys.ts';
import { recordFilter } from './internal/matches.ts';
import { prepareLogs } from './internal/prepare.ts';
import { EMPTY, openLogTables, type IndexDb, type LogTables, type RecordValue } from './internal/tables.ts';
import type { LogQuery, LogSearchResult, LogStore, LogStoreOptions, StoredLog } from './types.ts';

/** Logs are kept 7 days by default, like traces. */
export const DEFAULT_LOG_MAX_AGE_MS = 7 * 24 * 60 * 60 * 1000;
export const DEFAULT_LOG_LIMIT = 100;
export const MAX_LOG_LIMIT = 5000;
const DEFAULT_MAX_SCAN = 200_000;
const PAGE = 256;
const SWEEP_BATCH = 500;

/**
 * Opens (or creates) the log store under `<dataDir>/logs`.
 * @example
 * const logs = await openLogStore({ dataDir: '.zeroscope' });
 * await logs.push(decodeLogsProtobufRequest(body));
 * const { logs: found } = await logs.search({ serviceName: 'order', levels: ['error'] });
 */
export async function openLogStore(options: LogStoreOptions): Promise<LogStore> {
  return new LmdbLogStore(options);
}

function parseHexId(text: string, bytes: number, what: string): Buffer {
  if (!new RegExp(`^[0-9a-fA-F]{1,${bytes * 2}}$`).test(text)) {
    throw new LogStoreError('LOGSTORE_ERR_INVALID_ID', `${what} must be 1-${bytes * 2} hex digits, got ${JSON.stringify(text)}`);
  }
  return Buffer.from(text.toLowerCase().padStart(bytes * 2, '0'), 'hex');
}

class LmdbLogStore implements LogStore {
  private readonly t: LogTables;
  private count: number;
  private readonly maxAgeMs: number;
  private readonly maxScan: number;
  private readonly writes = new PendingWrites();
  private closing: Promise<void> | undefined;

  constructor(options: LogStoreOptions) {
    watchOrphanedCommitFailures();
    this.t = openLogTables(options.dataDir);
    this.count = this.storedCount();
    this.maxAgeMs = options.maxAgeMs ?? DEFAULT_LOG_MAX_AGE_MS;
    this.maxScan = options.maxScan ?? DEFAULT_MAX_SCAN;
  }

  async push(request: ExportLogsServiceRequest): Promise<{ acceptedLogRecords: number }> {
    this.assertOpen();
    const prepared = prepareLogs(request, BigInt(Date.now()) * 1_000_000n);
    if (prepared.length === 0) return { acceptedLogRecords: 0 };
    const { t } = this;
    await this.writes.track(
      t.root
        .transaction(() => {
          let added = 0;
          for (const log of prepared) {
            // The check sees this transaction's own puts, so a record repeated in the request is skipped too.
            if (t.records.doesExist(log.key)) continue;
            t.records.put(log.key, log.value);
            if (log.traceId) t.byTrace.put(indexKey(log.traceId, log.key), EMPTY);
            t.byService.put(indexKey(servicePrefix(log.value.serviceName), log.key), EMPTY);
            t.byLevel.put(indexKey(Uint8Array.of(log.level), log.key), EMPTY);
            added++;
          }
          // Counted inside the transaction: lmdb runs them one after another, in order.
          this.count += added;
          t.meta.put('count', this.count);
        })
        .then(() => t.root.flushed)
        .catch((err: unknown) => {
          this.count = this.storedCount(); // the aborted transaction's count is gone
          settleCommitError(err);
          throw new LogStoreError('LOGSTORE_ERR_DISK_FULL', notDurableMessage(err), { cause: err });
        }),
    );
    return { acceptedLogRecords: prepared.length };
  }

  async search(query: LogQuery = {}): Promise<LogSearchResult> {
    this.assertOpen();
    const limit = Math.min(Math.max(1, query.limit ?? DEFAULT_LOG_LIMIT), MAX_LOG_LIMIT);
    const [db, prefix] = this.pickIndex(query);
    const { low, high } = bounds(prefix, query.startUnixNano ?? 0n, query.endUnixNano ?? MAX_U64);
    const keep = recordFilter(query);
    const logs: StoredLog[] = [];
    let scanned = 0;
    let resume: Uint8Array | undefined;
    for (;;) {
      const page: Uint8Array[] = Array.from(
        db.getKeys({ start: resume ?? high, end: low, reverse: true, limit: PAGE, exclusiveStart: resume !== undefined }),
      );
      for (const key of page) {
        const id = db === this.t.records ? key : tailOf(key);
        const value = this.t.records.get(id);
        scanned++;
        if (value && keep(value)) {
          logs.push(toStoredLog(id, value));
          if (logs.length >= limit) return { logs, truncated: false };
        }
        if (scanned >= this.maxScan) return { logs, truncated: true };
      }
      if (page.length < PAGE || this.closing) return { logs, truncated: false };
      resume = page[page.length - 1];
      await yieldToLoop(); // let pushes in during a long scan
    }
  }

  async traceLogs(traceIdHex: string, options: { limit?: number } = {}): Promise<StoredLog[]> {
    this.assertOpen();
    const traceId = parseHexId(traceIdHex, 16, 'trace id');
    const { low, high } = bounds(traceId, 0n, MAX_U64);
    const limit = Math.min(Math.max(1, options.limit ?? 1000), MAX_LOG_LIMIT);
    const out: StoredLog[] = [];
    for (const key of this.t.byTrace.getKeys({ start: low, end: high, limit })) {
      const id = tailOf(key);
      const value = this.t.records.get(id);
      if (value) out.push(toStoredLog(id, value));
    }
    return out;
  }

  async sweep(now: bigint = BigInt(Date.now()) * 1_000_000n): Promise<{ deletedLogRecords: number }> {
    this.assertOpen();
    const cutoff = recordKey(now - BigInt(Math.floor(this.maxAgeMs)) * 1_000_000n, new Uint8Array(8));
    let deleted = 0;
    const { t } = this;
    for (;;) {
      const keys = Array.from(t.records.getKeys({ end: cutoff, limit: SWEEP_BATCH }));
      if (keys.length === 0) break;
      const removed = await this.writes.track(
        t.root.transaction(() => {
          let n = 0;
          for (const key of keys) {
            const value = t.records.get(key);
            if (!value) continue;
            t.records.remove(key);
            if (value.traceId) t.byTrace.remove(indexKey(Buffer.from(value.traceId, 'hex'), key));
            t.byService.remove(indexKey(servicePrefix(value.serviceName), key));
            t.byLevel.remove(indexKey(Uint8Array.of(LOG_LEVELS.indexOf(value.level)), key));
            n++;
          }
          this.count -= n;
          t.meta.put('count', this.count);
          return n;
        }).catch((err: unknown) => {
          this.count = this.storedCount();
          settleCommitError(err);
          throw err;
        }),
      );
      deleted += removed;
      if (keys.length < SWEEP_BATCH) break;
    }
    await t.root.flushed;
    return { deletedLogRecords: deleted };
  }

  async stats(): Promise<{ logRecords: number }> {
    this.assertOpen();
    return { logRecords: this.count };
  }

  close(): Promise<void> {
    this.closing ??= (async () => {
      await this.writes.settled();
      await this.t.root.close();
    })();
    return this.closing;
  }

  /** The index that narrows the scan most: trace, then service, then a single level, else all records. */
  private pickIndex(query: LogQuery): [IndexDb | LogTables['records'], Uint8Array] {
    if (query.traceId) return [this.t.byTrace, parseHexId(query.traceId, 16, 'trace id')];
    if (query.spanId) parseHexId(query.spanId, 8, 'span id');
    if (query.serviceName !== undefined) return [this.t.byService, servicePrefix(query.serviceName)];
    if (query.levels?.length === 1) return [this.t.byLevel, Uint8Array.of(LOG_LEVELS.indexOf(query.levels[0]))];
    return [this.t.records, new Uint8Array(0)];
  }

  private storedCount(): number {
    return (this.t.meta.get('count') as number | undefined) ?? 0;
  }

  private assertOpen(): void {
    if (this.closing) throw new LogStoreError('LOGSTORE_ERR_CLOSED', 'the log store is closed');
  }
}

function toStoredLog(key: Uint8Array, value: RecordValue): StoredLog {
  return { id: Buffer.from(key).toString('hex'), ...value };
}
