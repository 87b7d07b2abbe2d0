import { createRequire } from 'node:module';
import type { Etcd3, IOptions } from 'etcd3';
import type { EtcdConf } from '../config.ts';

// etcd3 (with its own gRPC stubs, protobufjs and cockatiel) is required when a client is first
// made, not imported: only a service with an `Etcd` block pays its ~100 ms of start-up. It is a
// CommonJS package, so this is the module an import would load.
const require = createRequire(import.meta.url);

type Backoff = NonNullable<NonNullable<IOptions['faultHandling']>['watchBackoff']>;

/** Doubling delays from `ms` up to `maxMs`, in the shape etcd3 takes for its watch reconnects. */
function doubling(ms: number, maxMs: number): Backoff {
  return { duration: ms, next: () => doubling(Math.min(ms * 2, maxMs), maxMs) };
}

/**
 * An etcd v3 client for an `Etcd` config block: `Hosts` as `host:port` (http assumed) or URLs,
 * `User`/`Pass` for etcd's password auth. Reconnects are kept short (watch streams and gRPC
 * channels retry within 2–3 s, not etcd3's and grpc-js's defaults of 30 s and 2 min), so a
 * restarted etcd is noticed in seconds.
 */
export function createEtcdClient(conf: Pick<EtcdConf, 'Hosts' | 'User' | 'Pass'>): Etcd3 {
  const options: IOptions = {
    hosts: conf.Hosts.map((host) => (/^https?:\/\//.test(host) ? host : `http://${host}`)),
    dialTimeout: 5000,
    grpcOptions: { 'grpc.max_reconnect_backoff_ms': 3000, 'grpc.initial_reconnect_backoff_ms': 200 },
    faultHandling: { watchBackoff: { duration: 0, next: () => doubling(100, 2000) } },
  };
  if (conf.User !== undefined) options.auth = { username: conf.User, password: conf.Pass ?? '' };
  const { Etcd3: Client } = require('etcd3') as typeof import('etcd3');
  return new Client(options);
}

/** The key prefix instances of `key` register under (go-zero: `<Key>/`). */
export function keyPrefix(key: string): string {
  return `${key}/`;
}
