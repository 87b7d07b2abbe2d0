/** What each benchmark hands to run.ts: one section of BENCHMARKS.md. */
export interface BenchSection {
  /** Bench name (`chain`, `ingest`, `query`, `ui`), or `profile`: the section's marker in BENCHMARKS.md. */
  id: string;
  title: string;
  /** Markdown: tables and notes. */
  body: string;
  /** Sections made along with this one (the chain's profile table under `--profile`). */
  extra?: BenchSection[];
}
