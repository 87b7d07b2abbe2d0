/**
 * The backend's log store: OTLP log records kept durably on lmdb, indexed by trace id, service,
 * level and time, searchable newest first, swept by age.
 */
export { openLogStore, DEFAULT_LOG_LIMIT, DEFAULT_LOG_MAX_AGE_MS, MAX_LOG_LIMIT } from './lmdb-log-store.ts';
export { LogStoreError, LOG_STORE_ERROR_CODES } from './errors.ts';
export type { LogStoreErrorCode } from './errors.ts';
export { LOG_LEVELS, isLogLevel, levelOf } from './levels.ts';
export type {
  JsonAnyValue,
  JsonKeyValue,
  LogLevel,
  LogQuery,
  LogSearchResult,
  LogStore,
  LogStoreOptions,
  StoredLog,
} from './types.ts';
