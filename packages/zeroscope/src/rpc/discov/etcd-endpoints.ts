import type { Etcd3, IKeyValue, Watcher } from 'etcd3';
import type { EtcdConf } from '../config.ts';
import type { EndpointsListener, EndpointSource } from '../endpoints.ts';
import { createEtcdClient, keyPrefix, type EtcdClientConf } from './etcd-client.ts';

/** Options of {@link EtcdEndpoints}. */
export interface EtcdEndpointsOptions {
  /** Where etcd errors are reported (the list is kept meanwhile); default: silent. */
  log?: (message: string, err?: unknown) => void;
}

const RELOAD_MIN_MS = 100;
const RELOAD_MAX_MS = 2000;
/** When a reload after a reconnect found nothing, look again this much later (past a lease TTL). */
const RECHECK_EMPTY_MS = 15_000;

/**
 * The instances registered under an etcd key (go-zero's discov.Subscriber): loads every key
 * under `<Key>/`, then watches the prefix from the next revision, so an instance that registers
 * is added and one whose key is deleted (its lease revoked or expired) is dropped. While etcd is
 * unreachable the last list is kept; on reconnecting the list is loaded again in full, and the
 * watch restarted if etcd came back with an older history (restored or wiped).
 */
export class EtcdEndpoints implements EndpointSource {
  private readonly client: Etcd3;
  private readonly prefix: string;
  private readonly log: (message: string, err?: unknown) => void;
  private readonly listeners = new Set<EndpointsListener>();
  /** key → address. */
  private readonly entries = new Map<string, string>();
  private endpoints: readonly string[] = [];
  private watcher: Watcher | undefined;
  private started = false;
  private closed = false;
  private resolveLoaded!: () => void;
  private readonly firstLoad = new Promise<void>((resolve) => (this.resolveLoaded = resolve));

  constructor(conf: EtcdClientConf & Pick<EtcdConf, 'Key'>, options: EtcdEndpointsOptions = {}) {
    this.client = createEtcdClient(conf);
    this.prefix = keyPrefix(conf.Key);
    this.log = options.log ?? (() => {});
  }

  /** Starts watching on the first subscriber; calls `listener` now and on every change. */
  subscribe(listener: EndpointsListener): () => void {
    this.listeners.add(listener);
    listener(this.endpoints);
    if (!this.started) {
      this.started = true;
      void this.run();
    }
    return () => {
      this.listeners.delete(listener);
    };
  }

  /** Resolves once the first full list has been read from etcd (possibly empty). */
  loaded(): Promise<void> {
    return this.firstLoad;
  }

  /** The addresses currently known. */
  current(): readonly string[] {
    return this.endpoints;
  }

  /** Stops watching and closes the etcd client. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.listeners.clear();
    const watcher = this.watcher;
    this.watcher = undefined;
    await watcher?.cancel().catch(() => {});
    this.client.close();
  }

  private async run(): Promise<void> {
    const revision = await this.reload();
    if (revision !== undefined) await this.watchFrom(revision);
  }

  /**
   * Reads every key under the prefix, retrying until etcd answers; returns the header revision.
   * With `keepIfEmpty`, an empty answer while instances are known keeps them (and checks again
   * later): after a reconnect that means etcd lost its data, not that every instance died
   * (those would have been seen going), and they are about to register again.
   */
  private async reload(keepIfEmpty = false): Promise<bigint | undefined> {
    let delay = RELOAD_MIN_MS;
    while (!this.closed) {
      try {
        const res = await this.client.getAll().prefix(this.prefix).exec();
        if (keepIfEmpty && res.kvs.length === 0 && this.entries.size > 0) {
          setTimeout(() => void this.reload(), RECHECK_EMPTY_MS).unref();
          return BigInt(res.header.revision);
        }
        this.entries.clear();
        for (const kv of res.kvs) this.entries.set(kv.key.toString(), kv.value.toString());
        this.publish();
        this.resolveLoaded();
        return BigInt(res.header.revision);
      } catch (err) {
        this.log(`zeroscope rpc: cannot read ${this.prefix}* from etcd, retrying`, err);
        await new Promise((resolve) => setTimeout(resolve, delay));
        delay = Math.min(delay * 2, RELOAD_MAX_MS);
      }
    }
    return undefined;
  }

  private async watchFrom(revision: bigint): Promise<void> {
    if (this.closed) return;
    const watcher = await this.client
      .watch()
      .prefix(this.prefix)
      .startRevision(String(revision + 1n))
      .create()
      .catch((err: unknown) => {
        this.log('zeroscope rpc: cannot watch etcd', err);
        return undefined;
      });
    if (watcher === undefined || this.closed) {
      await watcher?.cancel().catch(() => {});
      if (watcher === undefined && !this.closed) setTimeout(() => void this.run(), RELOAD_MAX_MS);
      return;
    }
    this.watcher = watcher;
    let stale = false;
    watcher.on('data', (res) => {
      for (const event of res.events) this.apply(event.type, event.kv);
      this.publish();
    });
    watcher.on('disconnected', () => {
      stale = true;
    });
    watcher.on('connected', () => {
      if (!stale) return;
      stale = false;
      void this.resync(watcher);
    });
    watcher.on('error', (err) => {
      // The watch was cancelled by etcd (e.g. compacted): start over from a full load.
      this.log('zeroscope rpc: etcd watch ended, reloading', err);
      if (this.watcher !== watcher) return;
      this.watcher = undefined;
      void watcher.cancel().catch(() => {});
      void this.run();
    });
  }

  /** After a reconnect: the full list again; a new watch if etcd's history went backwards. */
  private async resync(watcher: Watcher): Promise<void> {
    const revision = await this.reload(true);
    if (revision === undefined || this.watcher !== watcher) return;
    const watching = BigInt(watcher.lastRevision() ?? '0');
    if (revision + 1n < watching) {
      this.watcher = undefined;
      await watcher.cancel().catch(() => {});
      await this.watchFrom(revision);
    }
  }

  private apply(type: string, kv: IKeyValue): void {
    const key = kv.key.toString();
    if (type === 'Put') this.entries.set(key, kv.value.toString());
    else this.entries.delete(key);
  }

  /** Notifies subscribers when the set of addresses changed. */
  private publish(): void {
    const next = [...new Set(this.entries.values())].sort();
    if (next.length === this.endpoints.length && next.every((a, i) => a === this.endpoints[i])) return;
    this.endpoints = next;
    for (const listener of this.listeners) listener(next);
  }
}
