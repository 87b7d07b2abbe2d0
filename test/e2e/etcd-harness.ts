/**
 * A real etcd for the end-to-end suites: Debian's `etcd-server` (installed with apt-get when
 * missing and running as root), started on 127.0.0.1 with free client and peer ports and a
 * temporary data dir, stopped and removed after. Nothing is skipped: if etcd cannot be had, the
 * suite fails with the reason.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { get as httpsGet } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Etcd3 } from 'etcd3';
import { freePort } from './harness.ts';
import { ensureDebianPackage, findExecutable } from '../lib/debian.ts';
import { eventually } from '../lib/eventually.ts';

/** The etcd binary on PATH (or /usr/bin), installing Debian's etcd-server if needed. */
export function ensureEtcd(): string {
  return ensureDebianPackage('etcd-server', () => findExecutable('etcd'));
}

/** TLS for etcd's client port: its certificate and key, and the CA its clients' certificates must chain to. */
export interface EtcdTls {
  certFile: string;
  keyFile: string;
  caFile: string;
  /** A client certificate and key the harness's own client presents. */
  clientCertFile: string;
  clientKeyFile: string;
}

/** One etcd member on loopback. */
export interface EtcdServer {
  /** `127.0.0.1:port` of the client API, as an `Etcd.Hosts` entry. */
  readonly host: string;
  /** Stops it (SIGTERM), keeping the data dir unless `wipe`. */
  stop(options?: { wipe?: boolean }): Promise<void>;
  /** Starts it again on the same ports (and data dir, unless it was wiped). */
  start(): Promise<void>;
  /** A client of it, closed by `close()`. */
  client(): Etcd3;
  /** The addresses registered under `<key>/`, sorted. */
  registered(key: string): Promise<string[]>;
  /** Stops it and removes its data. */
  close(): Promise<void>;
}

/** Starts etcd; with `tls`, its client port speaks only TLS and demands a client certificate. */
export async function startEtcd(options: { tls?: EtcdTls } = {}): Promise<EtcdServer> {
  const { tls } = options;
  const scheme = tls ? 'https' : 'http';
  const binary = ensureEtcd();
  const clientPort = await freePort();
  const peerPort = await freePort();
  const dataDir = mkdtempSync(join(tmpdir(), 'zeroscope-etcd-'));
  const host = `127.0.0.1:${clientPort}`;
  const peer = `http://127.0.0.1:${peerPort}`;
  let proc: ChildProcess | undefined;
  let output = '';
  const clients: Etcd3[] = [];
  let shared: Etcd3 | undefined;

  const start = async (): Promise<void> => {
    output = '';
    const child = spawn(
      binary,
      [
        '--name', 'zs',
        '--data-dir', join(dataDir, 'member'),
        '--listen-client-urls', `${scheme}://${host}`,
        '--advertise-client-urls', `${scheme}://${host}`,
        ...(tls ? ['--cert-file', tls.certFile, '--key-file', tls.keyFile, '--trusted-ca-file', tls.caFile, '--client-cert-auth'] : []),
        '--listen-peer-urls', peer,
        '--initial-advertise-peer-urls', peer,
        '--initial-cluster', `zs=${peer}`,
        '--initial-cluster-state', 'new',
        '--logger', 'zap',
        '--log-level', 'error',
      ],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    proc = child;
    child.stdout!.on('data', (d) => (output += d));
    child.stderr!.on('data', (d) => (output += d));
    await eventually(
      () => `etcd to become healthy:\n${output}`,
      async () => {
        if (child.exitCode !== null) throw new Error(`etcd exited (${child.exitCode}):\n${output}`);
        return healthy(host, tls);
      },
      { timeoutMs: 20_000, pollMs: 100 },
    );
  };

  const stop = async ({ wipe = false } = {}): Promise<void> => {
    const p = proc;
    proc = undefined;
    if (p && p.exitCode === null && p.signalCode === null) {
      const exited = new Promise((resolve) => p.once('exit', resolve));
      p.kill('SIGTERM');
      await exited;
    }
    if (wipe) rmSync(join(dataDir, 'member'), { recursive: true, force: true });
  };

  const client = (): Etcd3 => {
    const credentials = tls && { rootCertificate: readFileSync(tls.caFile), certChain: readFileSync(tls.clientCertFile), privateKey: readFileSync(tls.clientKeyFile) };
    const made = new Etcd3({ hosts: `${scheme}://${host}`, ...(credentials ? { credentials } : {}) });
    clients.push(made);
    return made;
  };

  await start();
  return {
    host,
    start,
    stop,
    client,
    async registered(key) {
      const values = await (shared ??= client()).getAll().prefix(`${key}/`).strings();
      return Object.values(values).sort();
    },
    async close() {
      for (const client of clients.splice(0)) client.close();
      await stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** Whether etcd's `/health` says so, over TLS with the harness's client certificate when `tls`. */
async function healthy(host: string, tls: EtcdTls | undefined): Promise<boolean> {
  if (!tls) {
    return fetch(`http://${host}/health`)
      .then(async (res) => res.ok && ((await res.json()) as { health?: string }).health === 'true')
      .catch(() => false);
  }
  const [hostname, port] = host.split(':');
  const options = { hostname, port, path: '/health', ca: readFileSync(tls.caFile), cert: readFileSync(tls.clientCertFile), key: readFileSync(tls.clientKeyFile) };
  return new Promise((resolve) => {
    httpsGet(options, (res) => {
      let body = '';
      res.setEncoding('utf8').on('data', (c: string) => (body += c));
      res.on('end', () => resolve(res.statusCode === 200 && body.includes('"health":"true"')));
    }).on('error', () => resolve(false));
  });
}
