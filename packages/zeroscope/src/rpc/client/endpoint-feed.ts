import type { Balancer } from '../balancer/balancer.ts';
import type { RpcClientConf } from '../config.ts';
import { EtcdEndpoints } from '../discov/etcd-endpoints.ts';
import { type EndpointSource, StaticEndpoints } from '../endpoints.ts';
import type { CallOptions } from '../service.ts';

/**
 * Feeds a client's balancer from its endpoint source (the one given, else etcd or the config's
 * list), and lets calls made before an asynchronous source (etcd) has its first list wait for it
 * instead of failing with no endpoints.
 */
export class EndpointFeed {
  private readonly source: EndpointSource;
  private readonly ownSource: boolean;
  private readonly unsubscribe: () => void;
  private closed = false;
  /** Pending until the source's first list is known; undefined after, or for a synchronous source. */
  private loading: Promise<void> | undefined;
  /** How long a call without its own timeout waits for the first list: the client's Timeout. */
  private readonly callWaitMs: number;

  constructor(
    private readonly balancer: Balancer,
    conf: RpcClientConf,
    given: EndpointSource | undefined,
  ) {
    this.callWaitMs = conf.Timeout;
    this.ownSource = given === undefined;
    this.source = given ?? (conf.Etcd !== undefined ? new EtcdEndpoints(conf.Etcd) : new StaticEndpoints(conf.Endpoints ?? [conf.Target ?? '']));
    this.unsubscribe = this.source.subscribe((endpoints) => {
      if (!this.closed) balancer.update(endpoints);
    });
    this.loading = this.source.loaded?.().then(() => {
      this.loading = undefined;
    });
  }

  /**
   * Resolves once the first endpoint list is known, or after `waitMs` (0: no limit); undefined
   * when there is nothing to wait for, so a call then costs no promise.
   */
  firstList(waitMs: number | undefined): Promise<void> | undefined {
    if (this.loading === undefined || this.balancer.all().length > 0) return undefined;
    if (!waitMs) return this.loading;
    return Promise.race([this.loading, new Promise<void>((resolve) => setTimeout(resolve, waitMs).unref())]);
  }

  /** {@link firstList} for a call: it waits within its own timeout, else the client's. */
  forCall(callOptions: CallOptions | undefined): Promise<void> | undefined {
    return this.firstList(callOptions?.timeoutMs ?? this.callWaitMs);
  }

  /** Stops following the source, and closes it when the client made it. */
  close(): void {
    this.closed = true;
    this.unsubscribe();
    if (this.ownSource) void this.source.close?.();
  }
}
