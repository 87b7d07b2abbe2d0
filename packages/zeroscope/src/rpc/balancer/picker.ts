import type * as grpc from '@grpc/grpc-js';

/** One endpoint and the grpc-js client (hence channel) dialling it. */
export interface Connection {
  readonly address: string;
  readonly client: grpc.Client;
}

/** A picker's choice, and what to tell it when the call ends. */
export interface PickResult {
  connection: Connection;
  /** Reports the call's end (its status code) so the picker can learn latency and load. */
  done(code: grpc.status): void;
}

/**
 * A balancing policy (go-zero's balancer pickers): chooses one of the READY connections for each
 * call. The {@link Balancer} owns the connections and hands the picker only READY ones.
 */
export interface Picker {
  /** Chooses one of `ready` (never empty). */
  pick(ready: readonly Connection[]): PickResult;
}

/** Balancing policies a client config can name. */
export type BalancerName = 'p2c' | 'round_robin';
