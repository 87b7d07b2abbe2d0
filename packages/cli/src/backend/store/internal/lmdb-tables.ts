/**
 * The lmdb environment and its named databases (one B+tree each), opened and checked.
 *
 *   meta       'formatVersion' → n, 'counters' → { traces, spans, bytes, maxTraceDurationNanos }
 *   spans      trace id (16) + span id (8)  → resource ref (8) + scope ref (8) + OTLP Span bytes
 *   blobs      ref (8)                      → ResourceSpans / ScopeSpans header bytes
 *   traces     trace id (16)                → summary record
 *   byStart    start (u64 BE) + trace id    → ''   (newest-first scans)
 *   byEnd      end (u64 BE) + trace id      → ''   (retention: oldest end first)
 *   byService  len + service + start + id   → ''   (search by service.name)
 *   byName     len + span name + start + id → ''   (search by span name)
 *   tags       catalog entry id (string)    → ''
 */
import { open, type Database, type RootDatabase } from 'lmdb';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { StoreError } from '../errors.ts';
import { claimFormatVersion } from '../../lmdb/index.ts';

/** Bumped on any change to the layout above; a store refuses data written by a newer one. */
export const FORMAT_VERSION = 1;

export type BinaryDb = Database<Uint8Array, Uint8Array>;

export interface Counters {
  traces: number;
  spans: number;
  bytes: number;
  /** The longest trace ever stored: how far before a time range a matching trace can start. */
  maxTraceDurationNanos: number;
}

export interface Tables {
  root: RootDatabase;
  meta: Database<unknown, string>;
  spans: BinaryDb;
  blobs: BinaryDb;
  traces: BinaryDb;
  byStart: BinaryDb;
  byEnd: BinaryDb;
  byService: BinaryDb;
  byName: BinaryDb;
  tags: Database<Uint8Array, string>;
}

/** An empty value: index entries carry everything in their keys. */
export const EMPTY = new Uint8Array(0);

/** Opens (creating if needed) the store under `dataDir/traces`, refusing a newer format. */
export function openTables(dataDir: string): Tables {
  const path = join(dataDir, 'traces');
  mkdirSync(path, { recursive: true });
  // Sync commits stay on (no noSync): a write promise plus `flushed` means the data is on disk.
  const root = open({ path, maxDbs: 12 });
  const binary = (name: string): BinaryDb =>
    root.openDB<Uint8Array, Uint8Array>({ name, keyEncoding: 'binary', encoding: 'binary' });
  const tables: Tables = {
    root,
    meta: root.openDB<unknown, string>({ name: 'meta' }),
    spans: binary('spans'),
    blobs: binary('blobs'),
    traces: binary('traces'),
    byStart: binary('byStart'),
    byEnd: binary('byEnd'),
    byService: binary('byService'),
    byName: binary('byName'),
    tags: root.openDB<Uint8Array, string>({ name: 'tags', encoding: 'binary' }),
  };
  // A crashed process can leave a stale reader slot behind; clearing it lets freed pages be reused.
  root.readerCheck();
  claimFormatVersion(
    root,
    tables.meta,
    FORMAT_VERSION,
    (version) =>
      new StoreError(
        'STORE_ERR_FORMAT_TOO_NEW',
        `the store in ${path} has format version ${version}; this zeroscope reads up to ${FORMAT_VERSION}. ` +
          'Upgrade zeroscope or point it at another data directory.',
      ),
  );
  return tables;
}

/** The persisted counters (zero for a new store). */
export function readCounters(tables: Tables): Counters {
  const stored = tables.meta.get('counters') as Partial<Counters> | undefined;
  return {
    traces: stored?.traces ?? 0,
    spans: stored?.spans ?? 0,
    bytes: stored?.bytes ?? 0,
    maxTraceDurationNanos: stored?.maxTraceDurationNanos ?? 0,
  };
}
