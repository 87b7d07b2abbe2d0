/** What the agent's export pipeline has done since it started (see `agentStats()`). */
export interface ExportStats {
  /** Spans the endpoint acknowledged. */
  exported: number;
  /** Spans thrown away because the queue was full (never handed to the exporter). */
  dropped: number;
  /** Spans in batches whose export failed (endpoint down, error answer, timeout, back-off in force). */
  failed: number;
  /** Export calls that failed. */
  failedExports: number;
  /** Spans waiting in the queue right now. */
  queued: number;
}

/** A fresh, zeroed {@link ExportStats}. */
export function emptyStats(): ExportStats {
  return { exported: 0, dropped: 0, failed: 0, failedExports: 0, queued: 0 };
}
