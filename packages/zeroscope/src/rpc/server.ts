import * as grpc from '@grpc/grpc-js';
import { describeListenFailure, setUp } from '../service/index.ts';
import { parseRpcConf, type RpcServerConf, type RpcServerConfInput, RpcServerConfSchema } from './config.ts';
import { reachableAddress } from './discov/listen-address.ts';
import { EtcdRegistrar, type RegistrarOptions } from './discov/registrar.ts';
import { RpcError } from './errors.ts';
import { adaptService } from './internal/adapt-service.ts';
import { buildServerChain, type ServerChain } from './server-chain.ts';
import { type GeneratedImplementation, type GeneratedService, resolveService } from './generated-service.ts';
import type { RpcService, ServiceImplementation } from './service.ts';

/** Options of {@link RpcServer} that are not part of the service config. */
export interface RpcServerOptions {
  /** How long `stop()` lets in-flight calls finish before cutting them, in ms (default 5000). */
  shutdownTimeoutMs?: number;
  /** Tuning of the etcd registration when the config has `Etcd` (lease TTL, start timeout, log). */
  etcd?: RegistrarOptions;
}

/**
 * A gRPC server configured by an `RpcServerConf` (go-zero's zrpc.Server). The constructor runs
 * the service set-up (starts tracing) as zrpc.NewServer does.
 *
 * @example
 *   const server = new RpcServer({ Name: 'user.rpc', ListenOn: '127.0.0.1:8080' });
 *   server.addService(UserService, { GetUser: async (req) => ({ id: req.id, name: 'ann' }), ... });
 *   await server.start();
 */
export class RpcServer {
  readonly conf: RpcServerConf;
  private readonly grpcServer: grpc.Server;
  private readonly chain: ServerChain;
  private readonly shutdownTimeoutMs: number;
  private readonly etcdOptions: RegistrarOptions | undefined;
  private registrar: EtcdRegistrar | undefined;
  private boundPort: number | undefined;
  private state: 'new' | 'starting' | 'running' | 'stopped' = 'new';

  /** @throws RpcConfigError when `conf` does not match RpcServerConfSchema. */
  constructor(conf: RpcServerConfInput, options: RpcServerOptions = {}) {
    this.conf = parseRpcConf(RpcServerConfSchema, conf, 'rpc server');
    setUp(this.conf);
    this.chain = buildServerChain(this.conf);
    this.shutdownTimeoutMs = options.shutdownTimeoutMs ?? 5000;
    this.etcdOptions = options.etcd;
    this.grpcServer = new grpc.Server({ interceptors: this.chain.interceptors });
  }

  /**
   * Serves `service` (a generated definition, or a {@link RpcService} from loadService) with
   * `implementation`; methods left out answer UNIMPLEMENTED. Call before start().
   */
  addService<D extends grpc.ServiceDefinition, H extends grpc.UntypedServiceImplementation>(
    service: RpcService<D, H>,
    implementation: ServiceImplementation<H>,
  ): this;
  addService<D extends GeneratedService>(service: D, implementation: GeneratedImplementation<D>): this;
  addService(
    given: RpcService<grpc.ServiceDefinition, grpc.UntypedServiceImplementation> | GeneratedService,
    implementation: object,
  ): this {
    const service = resolveService(given);
    if (this.state !== 'new') {
      throw new RpcError('RPC_ERR_SERVER_STATE', grpc.status.FAILED_PRECONDITION, `addService(${service.name}) after start()`);
    }
    const handlers = adaptService(service.definition, implementation as Record<string, unknown>, this.chain.middlewares);
    this.grpcServer.addService(service.definition, handlers);
    return this;
  }

  /**
   * Binds `ListenOn` and starts serving; with `Etcd`, then registers the address clients can dial
   * (a wildcard host becomes this machine's IP). Resolves once bound and registered; if etcd
   * cannot be reached the server is stopped again and start() rejects with RPC_ERR_ETCD.
   */
  async start(): Promise<void> {
    if (this.state !== 'new') {
      throw new RpcError('RPC_ERR_SERVER_STATE', grpc.status.FAILED_PRECONDITION, `start() on a ${this.state} server`);
    }
    this.state = 'starting';
    this.boundPort = await new Promise<number>((resolve, reject) => {
      this.grpcServer.bindAsync(this.conf.ListenOn, grpc.ServerCredentials.createInsecure(), (err, port) => {
        if (err) reject(new RpcError('RPC_ERR_BIND', grpc.status.UNAVAILABLE, describeListenFailure(err, this.conf.ListenOn, { port: 'ListenOn' }), { cause: err }));
        else resolve(port);
      });
    }).catch((err: unknown) => {
      this.state = 'new';
      throw err;
    });
    this.state = 'running';
    if (this.conf.Etcd !== undefined) {
      const registrar = new EtcdRegistrar(this.conf.Etcd, reachableAddress(this.address ?? this.conf.ListenOn), this.etcdOptions);
      try {
        await registrar.start();
      } catch (err) {
        await this.stop();
        throw err;
      }
      this.registrar = registrar;
    }
  }

  /** The etcd key this instance is registered under, when it has an `Etcd` block and is registered. */
  get etcdKey(): string | undefined {
    return this.registrar?.key;
  }

  /** The bound port (useful with `ListenOn: host:0`); undefined before start(). */
  get port(): number | undefined {
    return this.boundPort;
  }

  /** `host:port` actually listened on; undefined before start(). */
  get address(): string | undefined {
    if (this.boundPort === undefined) return undefined;
    const host = this.conf.ListenOn.slice(0, this.conf.ListenOn.lastIndexOf(':'));
    return `${host}:${this.boundPort}`;
  }

  /**
   * Stops accepting calls and lets in-flight ones finish; after `shutdownTimeoutMs` the rest are
   * cancelled. Safe to call more than once.
   */
  async stop(): Promise<void> {
    if (this.state === 'stopped' || this.state === 'new') {
      this.state = 'stopped';
      return;
    }
    this.state = 'stopped';
    // Deregister first, so clients stop picking this instance while in-flight calls finish.
    await this.registrar?.stop();
    await new Promise<void>((resolve) => {
      const timer = setTimeout(() => {
        this.grpcServer.forceShutdown();
        resolve();
      }, this.shutdownTimeoutMs);
      timer.unref();
      this.grpcServer.tryShutdown(() => {
        clearTimeout(timer);
        resolve();
      });
    });
  }
}
