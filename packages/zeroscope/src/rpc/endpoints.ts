/**
 * Where a client finds its servers. The balancer subscribes to a source and follows its list;
 * `StaticEndpoints` is the config's `Endpoints`; `EtcdEndpoints` (discov/) follows an etcd key.
 */

/** Called with the full current list of `host:port` addresses (never a diff). */
export type EndpointsListener = (endpoints: readonly string[]) => void;

/** A source of server addresses that may change at run time. */
export interface EndpointSource {
  /**
   * Calls `listener` at once with the current list, then after every change.
   * Returns a function that stops the notifications.
   */
  subscribe(listener: EndpointsListener): () => void;
  /**
   * Sources that read their list asynchronously (etcd) resolve this once the first list is known;
   * until then a client waits, within a call's deadline, instead of failing with no endpoints.
   */
  loaded?(): Promise<void>;
  /** Releases what the source holds (watches, connections); called by the client that made it. */
  close?(): Promise<void> | void;
}

/** A fixed list (the config's `Endpoints`); `update()` replaces it, for tests and hand-made discovery. */
export class StaticEndpoints implements EndpointSource {
  private endpoints: readonly string[];
  private readonly listeners = new Set<EndpointsListener>();

  constructor(endpoints: readonly string[]) {
    this.endpoints = [...endpoints];
  }

  subscribe(listener: EndpointsListener): () => void {
    this.listeners.add(listener);
    listener(this.endpoints);
    return () => {
      this.listeners.delete(listener);
    };
  }

  /** Replaces the list and notifies every subscriber. */
  update(endpoints: readonly string[]): void {
    this.endpoints = [...endpoints];
    for (const listener of this.listeners) listener(this.endpoints);
  }
}
