/**
 * What a ServiceGroup runs: the rest and rpc servers implement it, and so can anything with a
 * start/stop lifecycle (a queue consumer, a cron).
 */
export interface Server {
  /** Starts serving; resolves once listening. */
  start(): Promise<void>;
  /** Stops accepting work, lets in-flight work finish, releases resources. */
  stop(): Promise<void>;
}
