/**
 * The log store's public shapes: one stored log record as the API answers it, the search it
 * takes, and the LogStore contract. Receivers push ExportLogsServiceRequests into it.
 */
import type { ExportLogsServiceRequest } from '../otlp/index.ts';

/** Severity ranges of OTLP's SeverityNumber, by name (Loki's `level` label uses the same words). */
export type LogLevel = 'unspecified' | 'trace' | 'debug' | 'info' | 'warn' | 'error' | 'fatal';

/** OTLP/JSON AnyValue: exactly one member set; int64 as a decimal string, bytes as base64. */
export interface JsonAnyValue {
  stringValue?: string;
  boolValue?: boolean;
  intValue?: string;
  doubleValue?: number | string;
  arrayValue?: { values?: JsonAnyValue[] };
  kvlistValue?: { values?: JsonKeyValue[] };
  bytesValue?: string;
}

/** OTLP/JSON KeyValue. */
export interface JsonKeyValue {
  key: string;
  value?: JsonAnyValue;
}

/**
 * One log record with its resource and scope, in OTLP/JSON's conventions (ids are hex, times
 * are decimal strings of unix nanoseconds) so the UI reads it like span data.
 */
export interface StoredLog {
  /** Stable id of the record in this store (hex). */
  id: string;
  /** When the event happened: the record's time, else its observed time, else when it arrived. */
  timeUnixNano: string;
  observedTimeUnixNano: string;
  severityNumber: number;
  severityText: string;
  level: LogLevel;
  body?: JsonAnyValue;
  attributes: JsonKeyValue[];
  droppedAttributesCount: number;
  /** '' when the record was made outside a trace. */
  traceId: string;
  spanId: string;
  flags: number;
  eventName: string;
  /** Resource `service.name`, '' when absent. */
  serviceName: string;
  resource: JsonKeyValue[];
  scopeName: string;
  scopeVersion: string;
}

/** A log search; every filter is optional, results come newest first. */
export interface LogQuery {
  /** Only this resource `service.name`. */
  serviceName?: string;
  /** Only these levels. */
  levels?: LogLevel[];
  /** Case-insensitive substring of the body or of an attribute `key=value`. */
  text?: string;
  /** Only records of this trace (hex, up to 32 digits). */
  traceId?: string;
  /** Only records of this span (hex). */
  spanId?: string;
  /** Unix nanoseconds, inclusive. */
  startUnixNano?: bigint;
  endUnixNano?: bigint;
  /** At most this many (default 100, at most 5000). */
  limit?: number;
}

/** What a search answers. */
export interface LogSearchResult {
  logs: StoredLog[];
  /** True when the scan stopped at its budget before finding `limit` matches. */
  truncated: boolean;
}

/** Options of {@link openLogStore}. */
export interface LogStoreOptions {
  /** The store keeps its lmdb files in `<dataDir>/logs`. */
  dataDir: string;
  /** Records older than this are deleted by sweep() (default 7 days). */
  maxAgeMs?: number;
  /** Most records a search decodes before it gives up with `truncated` (default 200,000). */
  maxScan?: number;
}

/** The backend's durable log store. */
export interface LogStore {
  /** Stores every record of the request; resolves once they are durable. Repeats are idempotent. */
  push(request: ExportLogsServiceRequest): Promise<{ acceptedLogRecords: number }>;
  search(query?: LogQuery): Promise<LogSearchResult>;
  /** Every record of a trace, oldest first (at most `limit`, default 1000). */
  traceLogs(traceIdHex: string, options?: { limit?: number }): Promise<StoredLog[]>;
  /** Deletes records older than the retention; returns how many. */
  sweep(nowUnixNano?: bigint): Promise<{ deletedLogRecords: number }>;
  stats(): Promise<{ logRecords: number }>;
  /** Waits for pending writes, then closes. Safe to call twice. */
  close(): Promise<void>;
}
