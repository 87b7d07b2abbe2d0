import * as grpc from '@grpc/grpc-js';

/** One endpoint and the grpc-js client (hence channel) dialling it. */
export interface Connection {
  readonly address: string;
  readonly client: grpc.Client;
}

const READY = grpc.connectivityState.READY;

/**
 * Round robin over one channel per endpoint, preferring READY channels. Channels are dialled as
 * soon as they are added, and any non-READY channel the scan passes is nudged to reconnect, so
 * a server that went away and came back rejoins the rotation. grpc-js itself handles the
 * reconnect back-off of each channel.
 */
export class RoundRobin {
  private connections: Connection[] = [];
  private next = 0;

  constructor(private readonly dial: (address: string) => grpc.Client) {}

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
    this.next = 0;
  }

  /** The next READY connection; if none is READY, the next one in turn. Undefined when empty. */
  pick(): { connection: Connection; ready: boolean } | undefined {
    const n = this.connections.length;
    if (n === 0) return undefined;
    for (let i = 0; i < n; i++) {
      const index = (this.next + i) % n;
      const connection = this.connections[index];
      if (connection.client.getChannel().getConnectivityState(true) === READY) {
        this.next = (index + 1) % n;
        return { connection, ready: true };
      }
    }
    const connection = this.connections[this.next % n];
    this.next = (this.next + 1) % n;
    return { connection, ready: false };
  }

  /** Current connections, in rotation order. */
  all(): readonly Connection[] {
    return this.connections;
  }

  close(): void {
    for (const connection of this.connections) connection.client.close();
    this.connections = [];
  }
}
