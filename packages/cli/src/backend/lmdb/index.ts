/**
 * lmdb helpers shared by the backend's stores (store/ for traces, logstore/ for logs): key
 * building blocks, in-flight write tracking, the on-disk format version check.
 */
export { MAX_KEY_VALUE_BYTES, MAX_U64, clampU64, lengthPrefixed } from './keys.ts';
export { PendingWrites } from './pending-writes.ts';
export { FORMAT_VERSION_KEY, claimFormatVersion } from './format-version.ts';
export { isDiskFullError, notDurableMessage, settleCommitError, watchOrphanedCommitFailures } from './commit-failure.ts';
