import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Etcd3, IOptions } from 'etcd3';
import type { EtcdConf } from '../config.ts';
import { RpcConfigError } from '../errors.ts';

// etcd3 (with its own gRPC stubs, protobufjs and cockatiel) is required when a client is first
// made, not imported: only a service with an `Etcd` block pays its ~100 ms of start-up. It is a
// CommonJS package, so this is the module an import would load.
const require = createRequire(import.meta.url);

type Backoff = NonNullable<NonNullable<IOptions['faultHandling']>['watchBackoff']>;

/** Doubling delays from `ms` up to `maxMs`, in the shape etcd3 takes for its watch reconnects. */
function doubling(ms: number, maxMs: number): Backoff {
  return { duration: ms, next: () => doubling(Math.min(ms * 2, maxMs), maxMs) };
}

/** The `Etcd` keys this module reads. */
export type EtcdClientConf = Pick<EtcdConf, 'Hosts' | 'User' | 'Pass' | 'CertFile' | 'CertKeyFile' | 'CACertFile'>;

/**
 * An etcd v3 client for an `Etcd` config block: `Hosts` as `host:port` (http assumed, https once
 * a TLS file is set) or URLs, `User`/`Pass` for etcd's password auth, `CACertFile` (and a client
 * certificate, `CertFile` + `CertKeyFile`) for TLS, read here so that an unreadable file names its
 * key. Reconnects are kept short (watch streams and gRPC channels retry within 2–3 s, not etcd3's
 * and grpc-js's defaults of 30 s and 2 min), so a restarted etcd is noticed in seconds.
 */
export function createEtcdClient(conf: EtcdClientConf): Etcd3 {
  const credentials = readTls(conf);
  const scheme = credentials === undefined ? 'http' : 'https';
  const options: IOptions = {
    hosts: conf.Hosts.map((host) => (/^https?:\/\//.test(host) ? host : `${scheme}://${host}`)),
    dialTimeout: 5000,
    grpcOptions: { 'grpc.max_reconnect_backoff_ms': 3000, 'grpc.initial_reconnect_backoff_ms': 200 },
    faultHandling: { watchBackoff: { duration: 0, next: () => doubling(100, 2000) } },
  };
  if (conf.User !== undefined) options.auth = { username: conf.User, password: conf.Pass ?? '' };
  if (credentials !== undefined) options.credentials = credentials;
  const { Etcd3: Client } = require('etcd3') as typeof import('etcd3');
  return new Client(options);
}

/** The key prefix instances of `key` register under (go-zero: `<Key>/`). */
export function keyPrefix(key: string): string {
  return `${key}/`;
}

/** The TLS files of the block, read; undefined without `CACertFile`. */
function readTls(conf: EtcdClientConf): IOptions['credentials'] {
  if (conf.CACertFile === undefined) return undefined;
  const read = (key: 'CACertFile' | 'CertFile' | 'CertKeyFile', path: string): Buffer => {
    try {
      return readFileSync(path);
    } catch (err) {
      throw new RpcConfigError(`Etcd.${key}: cannot read "${path}" (${(err as Error).message})`, { cause: err });
    }
  };
  const credentials: NonNullable<IOptions['credentials']> = { rootCertificate: read('CACertFile', conf.CACertFile) };
  if (conf.CertFile !== undefined && conf.CertKeyFile !== undefined) {
    credentials.certChain = read('CertFile', conf.CertFile);
    credentials.privateKey = read('CertKeyFile', conf.CertKeyFile);
  }
  return credentials;
}
