/**
 * Traces with writes queued to lmdb but not yet committed. A push's writes are plain
 * asynchronous puts (lmdb-js runs them on its writer thread), and its reads see only committed
 * data, so a push that touches a trace still in flight first waits for that commit: it then
 * merges with the stored summary, never with one that a failed commit did not store.
 */
export class InFlightTraces {
  private readonly commits = new Map<string, Promise<unknown>>();

  /** The commits that the given traces wait for (empty when none is in flight). */
  pending(traceHexes: Iterable<string>): Promise<unknown>[] {
    let out: Promise<unknown>[] | undefined;
    for (const hex of traceHexes) {
      const commit = this.commits.get(hex);
      if (commit && !out?.includes(commit)) (out ??= []).push(commit);
    }
    return out ?? NONE;
  }

  /** Marks the traces as in flight until `commit` settles (either way). */
  mark(traceHexes: Iterable<string>, commit: Promise<unknown>): void {
    const hexes = [...traceHexes];
    for (const hex of hexes) this.commits.set(hex, commit);
    const release = (): void => {
      // A later push of the same trace may have replaced the mark: only ours is removed.
      for (const hex of hexes) if (this.commits.get(hex) === commit) this.commits.delete(hex);
    };
    commit.then(release, release);
  }
}

const NONE: Promise<unknown>[] = [];
