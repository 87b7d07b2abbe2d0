/**
 * The writes of a store still in flight, so that close() can wait for them before closing the
 * environment (closing under a pending transaction would lose an acknowledged write).
 */
export class PendingWrites {
  private readonly pending = new Set<Promise<unknown>>();

  /** Tracks `op` until it settles; returns it unchanged. */
  track<T>(op: Promise<T>): Promise<T> {
    this.pending.add(op);
    const done = (): void => void this.pending.delete(op);
    op.then(done, done);
    return op;
  }

  /** Resolves once every write tracked so far has settled (never rejects). */
  async settled(): Promise<void> {
    await Promise.allSettled([...this.pending]);
  }
}
