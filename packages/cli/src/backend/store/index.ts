/**
 * The backend's trace store: `openStore` (durable, lmdb) and `openMemoryStore` (tests), both
 * implementing `TraceStore` (the query layer's `TraceFetcher` and `TagCatalog` included).
 */
export { openStore } from './lmdb-store.ts';
export { openMemoryStore } from './memory-store.ts';
export type { MemoryStoreOptions } from './memory-store.ts';
export { StoreError, STORE_ERROR_CODES, isStoreError } from './errors.ts';
export type { StoreErrorCode } from './errors.ts';
export { DEFAULT_MAX_AGE_MS, DEFAULT_SWEEP_INTERVAL_MS } from './retention.ts';
export type {
  PushResult,
  RetentionOptions,
  ServiceStats,
  StoreOptions,
  StoreStats,
  SummaryQuery,
  SweepResult,
  TimeRange,
  TraceStore,
  TraceSummary,
} from './types.ts';
