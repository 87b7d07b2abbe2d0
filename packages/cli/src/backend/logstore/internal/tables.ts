/** The log store's lmdb environment (`<dataDir>/logs`) and its named databases (see keys.ts). */
import { open, type Database, type RootDatabase } from 'lmdb';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { claimFormatVersion } from '../../lmdb/index.ts';
import { LogStoreError } from '../errors.ts';
import type { StoredLog } from '../types.ts';

/** Bumped on any layout change; a store refuses data written by a newer one. */
export const FORMAT_VERSION = 1;

/** What a record holds on disk: the StoredLog minus its id (the id is the key). */
export type RecordValue = Omit<StoredLog, 'id'>;

export type IndexDb = Database<Uint8Array, Uint8Array>;

export interface LogTables {
  root: RootDatabase;
  meta: Database<unknown, string>;
  records: Database<RecordValue, Uint8Array>;
  byTrace: IndexDb;
  byService: IndexDb;
  byLevel: IndexDb;
}

/** An empty value: index entries carry everything in their keys. */
export const EMPTY = new Uint8Array(0);

/** Opens (creating if needed) the tables, refusing a newer format. */
export function openLogTables(dataDir: string): LogTables {
  const path = join(dataDir, 'logs');
  mkdirSync(path, { recursive: true });
  // Sync commits stay on: a write promise plus `flushed` means the records are on disk.
  const root = open({ path, maxDbs: 8 });
  const index = (name: string): IndexDb => root.openDB<Uint8Array, Uint8Array>({ name, keyEncoding: 'binary', encoding: 'binary' });
  const tables: LogTables = {
    root,
    meta: root.openDB<unknown, string>({ name: 'meta' }),
    records: root.openDB<RecordValue, Uint8Array>({ name: 'records', keyEncoding: 'binary', encoding: 'msgpack' }),
    byTrace: index('byTrace'),
    byService: index('byService'),
    byLevel: index('byLevel'),
  };
  root.readerCheck();
  claimFormatVersion(
    root,
    tables.meta,
    FORMAT_VERSION,
    (version) =>
      new LogStoreError(
        'LOGSTORE_ERR_FORMAT_TOO_NEW',
        `the log store in ${path} has format version ${version}; this zeroscope reads up to ${FORMAT_VERSION}`,
      ),
  );
  return tables;
}
