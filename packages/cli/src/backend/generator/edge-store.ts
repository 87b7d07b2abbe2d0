/**
 * The small bounded store where one half of a client/server span pair waits for the other, as
 * Tempo's servicegraphs/store does: keyed by trace id + the client's span id (a server span
 * looks itself up by its parent id), completed as soon as both sides are known, expired after
 * the wait, and capped so a flood of unpaired spans cannot grow memory without bound.
 */

/** The connection kinds Tempo labels edges with. */
export type ConnectionType = '' | 'messaging_system' | 'database' | 'virtual_node';

/** One request between two services, filled in from either side. */
export interface Edge {
  key: string;
  traceId: string;
  connectionType: ConnectionType;
  clientService: string;
  serverService: string;
  clientLatencySec: number;
  serverLatencySec: number;
  /** Either side had status ERROR. */
  failed: boolean;
  /** From the client's peer attributes: a name for a server that never reports. */
  peerNode: string;
  /** True when the server side arrived with no parent (a root span). */
  serverIsRoot: boolean;
  /** Extra dimension labels (the `dimensions` option), by label name. */
  dimensions: Record<string, string>;
  /** `client`/`server` when that side is a virtual node (labelled with `enable_virtual_node_label`). */
  virtualNode: '' | 'client' | 'server';
  /** The client span's end and the server span's start (ns), for the messaging-system latency. */
  clientEndNs: bigint;
  serverStartNs: bigint;
  expiresAt: number;
}

/** The result of an upsert. */
export type UpsertResult = 'completed' | 'waiting' | 'dropped';

/** A store of waiting edges; Map keeps insertion order, so the oldest edge is always first. */
export class EdgeStore {
  private readonly edges = new Map<string, Edge>();

  constructor(
    private readonly waitMs: number,
    private readonly maxItems: number,
    private readonly onComplete: (edge: Edge) => void,
    private readonly onExpire: (edge: Edge) => void,
    private readonly now: () => number,
  ) {}

  get size(): number {
    return this.edges.size;
  }

  /**
   * Finds or starts the edge, applies `update`, and completes it when both sides are known.
   * Returns what happened and the edge (a dropped one is not kept).
   */
  upsert(key: string, update: (edge: Edge) => void): { result: UpsertResult; edge: Edge } {
    const existing = this.edges.get(key);
    const edge = existing ?? newEdge(key, this.now() + this.waitMs);
    update(edge);
    if (edge.clientService && edge.serverService) {
      if (existing) this.edges.delete(key);
      this.onComplete(edge);
      return { result: 'completed', edge };
    }
    if (existing) return { result: 'waiting', edge };
    if (this.edges.size >= this.maxItems) return { result: 'dropped', edge };
    this.edges.set(key, edge);
    return { result: 'waiting', edge };
  }

  /** Hands every edge past its wait to onExpire and forgets it. */
  expire(): number {
    const now = this.now();
    let expired = 0;
    for (const [key, edge] of this.edges) {
      if (edge.expiresAt > now) break; // the rest are younger
      this.edges.delete(key);
      this.onExpire(edge);
      expired++;
    }
    return expired;
  }
}

function newEdge(key: string, expiresAt: number): Edge {
  return {
    key,
    traceId: '',
    connectionType: '',
    clientService: '',
    serverService: '',
    clientLatencySec: 0,
    serverLatencySec: 0,
    failed: false,
    peerNode: '',
    serverIsRoot: false,
    dimensions: {},
    virtualNode: '',
    clientEndNs: 0n,
    serverStartNs: 0n,
    expiresAt,
  };
}
