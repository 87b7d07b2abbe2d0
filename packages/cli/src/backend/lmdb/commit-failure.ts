/**
 * What a failed lmdb commit means to the stores. lmdb-js rejects each write of a failed
 * transaction with `Commit failed (see commitError for details)` and rejects a second promise,
 * `error.commitError`, with the real cause (EIO, ENOSPC...). Nothing else ever handles that
 * second promise, so left alone it is an unhandled rejection, which ends the Node process: a
 * full disk would kill the backend. Every store that catches a commit failure passes it here.
 */

/** Handles the hidden `commitError` promise of an lmdb commit failure (a no-op for other errors). */
export function settleCommitError(err: unknown): void {
  const hidden = (err as { commitError?: unknown } | null)?.commitError;
  if (hidden instanceof Promise) hidden.catch(() => {});
}

/** True for lmdb-js's `Commit failed` error (whose cause is in its `commitError` promise). */
function isCommitFailure(reason: unknown): boolean {
  return reason instanceof Error && (reason as { commitError?: unknown }).commitError instanceof Promise;
}

let watching = false;

/**
 * lmdb-js gives each put outside a single awaited promise its own commit promise; a store that
 * queues many puts in one batch() awaits the batch, and the puts' promises, rejected with the
 * same `Commit failed` when the disk is full, reach no handler. Those (and only those) are
 * settled here: the batch's own promise already carried the failure to the writer, which
 * answered 507. Any other unhandled rejection still ends the process as Node's default does.
 * Called by each store when it opens; installs one listener per process.
 */
export function watchOrphanedCommitFailures(): void {
  if (watching) return;
  watching = true;
  process.on('unhandledRejection', (reason) => {
    if (isCommitFailure(reason)) return settleCommitError(reason);
    // Someone else listens too: they decide. Alone, behave as Node's default (throw).
    if (process.listenerCount('unhandledRejection') > 1) return;
    throw reason;
  });
}

/** True when an lmdb or file-system error means the write did not fit on disk. */
export function isDiskFullError(err: unknown): boolean {
  const e = (typeof err === 'object' && err !== null ? err : {}) as { code?: unknown; errno?: unknown; message?: unknown };
  if (e.code === 'ENOSPC' || e.code === 'MDB_MAP_FULL' || e.errno === -30792 || e.errno === 28) return true;
  return typeof e.message === 'string' && /MDB_MAP_FULL|ENOSPC|no space left on device|mapsize limit reached/i.test(e.message);
}

/**
 * The message of a write that could not be made durable: on a full disk lmdb often reports a
 * bare EIO "Commit failed" rather than ENOSPC, so every commit failure is one the client must
 * retry later (507), and the reason says which it was.
 */
export function notDurableMessage(err: unknown): string {
  const reason = isDiskFullError(err) ? 'the disk is full' : 'the write could not be made durable (is the disk full?)';
  return `insufficient storage: ${reason}: ${(err as Error)?.message ?? String(err)}; reads keep working`;
}
