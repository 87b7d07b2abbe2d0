/** What each benchmark hands to run.ts: one section of BENCHMARKS.md. */
export interface BenchSection {
  /** Bench name (`chain`, `ingest`, `query`, `ui`): the section's marker in BENCHMARKS.md. */
  id: string;
  title: string;
  /** Markdown: tables and notes. */
  body: string;
}
