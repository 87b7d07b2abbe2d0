import * as grpc from '@grpc/grpc-js';
import { P2cPicker } from './p2c.ts';
import type { BalancerName, Connection, PickResult, Picker } from './picker.ts';
import { RoundRobinPicker } from './round-robin.ts';

const READY = grpc.connectivityState.READY;
const isReady = (c: Connection): boolean => c.client.getChannel().getConnectivityState(true) === READY;

/** A balancer's answer: the chosen connection, whether it is READY, and its done callback. */
export interface Picked extends PickResult {
  /** False when no connection is READY and this one was taken in turn to wait on. */
  ready: boolean;
}

/** The picker for a config's `Balancer` value. */
export function createPicker(name: BalancerName): Picker {
  return name === 'round_robin' ? new RoundRobinPicker() : new P2cPicker();
}

/**
 * One channel per endpoint, following the endpoint list, with calls spread over the READY ones
 * by a {@link Picker}. Channels are dialled as soon as they are added; when none is READY, a call
 * is given the next one in turn (to wait on) and every channel is nudged to reconnect, so a server
 * that went away and came back rejoins. grpc-js handles each channel's reconnect back-off.
 */
export class Balancer {
  private connections: Connection[] = [];
  private fallback = 0;

  constructor(
    private readonly dial: (address: string) => grpc.Client,
    private readonly picker: Picker,
  ) {}

  /** Follows a new endpoint list: dials the new addresses, closes the dropped ones. */
  update(addresses: readonly string[]): void {
    const wanted = new Set(addresses);
    const kept = new Map<string, Connection>();
    for (const connection of this.connections) {
      if (wanted.has(connection.address) && !kept.has(connection.address)) kept.set(connection.address, connection);
      else connection.client.close();
    }
    this.connections = [...wanted].map((address) => {
      const existing = kept.get(address);
      if (existing !== undefined) return existing;
      const client = this.dial(address);
      client.getChannel().getConnectivityState(true); // connect now, not on the first call
      return { address, client };
    });
  }

  /** A connection for the next call; undefined when there are no endpoints. */
  pick(): Picked | undefined {
    if (this.connections.length === 0) return undefined;
    // getConnectivityState(true) also nudges an idle channel to reconnect.
    const ready = this.connections.filter(isReady);
    if (ready.length > 0) return { ...this.picker.pick(ready), ready: true };
    const connection = this.connections[this.fallback++ % this.connections.length]!;
    return { connection, done: () => {}, ready: false };
  }

  /** A READY connection other than `address`'s, for a retry; undefined when there is none. */
  pickOther(address: string): Picked | undefined {
    const ready = this.connections.filter((c) => c.address !== address && isReady(c));
    return ready.length > 0 ? { ...this.picker.pick(ready), ready: true } : undefined;
  }

  /** Current connections, in endpoint-list order. */
  all(): readonly Connection[] {
    return this.connections;
  }

  close(): void {
    for (const connection of this.connections) connection.client.close();
    this.connections = [];
  }
}
