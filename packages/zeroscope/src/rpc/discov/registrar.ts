import { status } from '@grpc/grpc-js';
import type { Etcd3, Lease } from 'etcd3';
import type { EtcdConf } from '../config.ts';
import { RpcError } from '../errors.ts';
import { createEtcdClient, keyPrefix } from './etcd-client.ts';

/** Options of {@link EtcdRegistrar}. */
export interface RegistrarOptions {
  /** Lease time to live, seconds (go-zero: 10). The key vanishes this long after the process dies. */
  ttlSeconds?: number;
  /** How long `start()` keeps trying to register before it fails, ms (default 5000). */
  startTimeoutMs?: number;
  /** Where losing and regaining the registration is reported; default console.error. */
  log?: (message: string, err?: unknown) => void;
}

const RETRY_MIN_MS = 250;
const RETRY_MAX_MS = 3000;

/**
 * Keeps one server instance registered in etcd (go-zero's discov.Publisher): a lease with a TTL,
 * kept alive, and the key `<Key>/<ID or lease id>` holding the instance's address under it. If
 * the lease is lost (etcd unreachable for longer than the TTL, or restarted without its data) the
 * server keeps serving and the registrar registers again, with back-off, until etcd answers.
 * `stop()` revokes the lease, which deletes the key at once.
 *
 * @example
 *   const registrar = new EtcdRegistrar({ Hosts: ['127.0.0.1:2379'], Key: 'user.rpc' }, '10.0.0.7:8080');
 *   await registrar.start();   // registered
 *   await registrar.stop();    // deregistered
 */
export class EtcdRegistrar {
  private readonly client: Etcd3;
  private readonly ttlSeconds: number;
  private readonly startTimeoutMs: number;
  private readonly log: (message: string, err?: unknown) => void;
  private lease: Lease | undefined;
  private registeredKey: string | undefined;
  private retryTimer: NodeJS.Timeout | undefined;
  private retryMs = RETRY_MIN_MS;
  private stopped = false;

  constructor(
    private readonly conf: EtcdConf,
    /** The address clients should dial, `host:port`. */
    readonly address: string,
    options: RegistrarOptions = {},
  ) {
    this.client = createEtcdClient(conf);
    this.ttlSeconds = options.ttlSeconds ?? 10;
    this.startTimeoutMs = options.startTimeoutMs ?? 5000;
    this.log = options.log ?? ((message, err) => console.error(message, err ?? ''));
  }

  /** The key currently registered, if any. */
  get key(): string | undefined {
    return this.registeredKey;
  }

  /**
   * Registers once, failing (RPC_ERR_ETCD) when etcd does not answer within `startTimeoutMs`:
   * a server that cannot be found should not start (go-zero fails too). Later losses are retried.
   */
  async start(): Promise<void> {
    const deadline = Date.now() + this.startTimeoutMs;
    for (;;) {
      try {
        await this.register(deadline);
        return;
      } catch (err) {
        if (this.stopped) return;
        if (Date.now() + RETRY_MIN_MS >= deadline) {
          this.client.close();
          throw new RpcError('RPC_ERR_ETCD', status.UNAVAILABLE, `cannot register ${this.address} under ${this.conf.Key} in etcd (${this.conf.Hosts.join(', ')}): ${(err as Error).message}`, { cause: err });
        }
        await new Promise((resolve) => setTimeout(resolve, RETRY_MIN_MS));
      }
    }
  }

  /** Deletes the registration (revokes the lease) and closes the etcd client. Safe to call twice. */
  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    clearTimeout(this.retryTimer);
    const lease = this.lease;
    this.lease = undefined;
    this.registeredKey = undefined;
    if (lease !== undefined) {
      // Bounded: with etcd gone, the lease simply expires after its TTL.
      await Promise.race([lease.revoke().catch(() => {}), new Promise((resolve) => setTimeout(resolve, 2000).unref())]);
    }
    this.client.close();
  }

  /** Grants a lease and puts the key under it; on loss of that lease, schedules a new one. */
  private async register(deadline: number): Promise<void> {
    const lease = this.client.lease(this.ttlSeconds, { deadline });
    this.lease = lease;
    // Losses before the key is put are this attempt failing: the caller retries those.
    let established = false;
    lease.on('lost', (err) => {
      if (!established || this.lease !== lease || this.stopped) return;
      this.log(`zeroscope rpc: etcd registration ${this.registeredKey ?? this.conf.Key} lost, registering again`, err);
      this.lease = undefined;
      this.registeredKey = undefined;
      lease.revoke().catch(() => {}); // best effort: etcd may hold it for another TTL otherwise
      this.retry();
    });
    try {
      const id = await lease.grant();
      const key = keyPrefix(this.conf.Key) + String(this.conf.ID ?? id);
      await lease.put(key).value(this.address).exec();
      if (this.stopped) return;
      this.registeredKey = key;
      this.retryMs = RETRY_MIN_MS;
      established = true;
    } catch (err) {
      if (this.lease === lease) this.lease = undefined;
      lease.release();
      throw err;
    }
  }

  private retry(): void {
    if (this.stopped) return;
    clearTimeout(this.retryTimer);
    this.retryTimer = setTimeout(() => {
      this.register(Date.now() + 5000).then(
        () => this.log(`zeroscope rpc: registered ${this.address} in etcd as ${this.registeredKey}`),
        () => {
          this.retryMs = Math.min(this.retryMs * 2, RETRY_MAX_MS);
          this.retry();
        },
      );
    }, this.retryMs);
  }
}
