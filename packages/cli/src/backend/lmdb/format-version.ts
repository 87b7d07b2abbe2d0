import type { Database, RootDatabase } from 'lmdb';

/** The meta key holding a store's on-disk format version. */
export const FORMAT_VERSION_KEY = 'formatVersion';

/**
 * Checks a freshly opened environment's format version: a newer one than `supported` closes the
 * environment and throws `tooNew(found)`; a new environment is stamped with `supported`.
 */
export function claimFormatVersion(
  root: RootDatabase,
  meta: Database<unknown, string>,
  supported: number,
  tooNew: (found: number) => Error,
): void {
  const version = meta.get(FORMAT_VERSION_KEY);
  if (typeof version === 'number' && version > supported) {
    void root.close();
    throw tooNew(version);
  }
  if (version === undefined) meta.putSync(FORMAT_VERSION_KEY, supported);
}
