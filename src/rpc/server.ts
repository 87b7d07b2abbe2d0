import * as grpc from '@grpc/grpc-js';
import { setUp } from '../service/index.ts';
import { parseRpcConf, type RpcServerConf, type RpcServerConfInput, RpcServerConfSchema } from './config.ts';
import { RpcError } from './errors.ts';
import { adaptService } from './internal/adapt-service.ts';
import { buildServerChain, type ServerChain } from './server-chain.ts';
import type { RpcService, ServiceImplementation } from './service.ts';

/** Options of {@link RpcServer} that are not part of the service config. */
export interface RpcServerOptions {
  /** How long `stop()` lets in-flight calls finish before cutting them, in ms (default 5000). */
  shutdownTimeoutMs?: number;
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
  private boundPort: number | undefined;
  private state: 'new' | 'starting' | 'running' | 'stopped' = 'new';

  /** @throws RpcConfigError when `conf` does not match RpcServerConfSchema. */
  constructor(conf: RpcServerConfInput, options: RpcServerOptions = {}) {
    this.conf = parseRpcConf(RpcServerConfSchema, conf, 'rpc server');
    setUp(this.conf);
    this.chain = buildServerChain(this.conf);
    this.shutdownTimeoutMs = options.shutdownTimeoutMs ?? 5000;
    this.grpcServer = new grpc.Server({ interceptors: this.chain.interceptors });
  }

  /** Serves `service` with `implementation`; methods left out answer UNIMPLEMENTED. Call before start(). */
  addService<D extends grpc.ServiceDefinition, H extends grpc.UntypedServiceImplementation>(
    service: RpcService<D, H>,
    implementation: ServiceImplementation<H>,
  ): this {
    if (this.state !== 'new') {
      throw new RpcError('RPC_ERR_SERVER_STATE', grpc.status.FAILED_PRECONDITION, `addService(${service.name}) after start()`);
    }
    const handlers = adaptService(service.definition, implementation as Record<string, unknown>, this.chain.middlewares);
    this.grpcServer.addService(service.definition, handlers);
    return this;
  }

  /** Binds `ListenOn` and starts serving. Resolves once bound. */
  async start(): Promise<void> {
    if (this.state !== 'new') {
      throw new RpcError('RPC_ERR_SERVER_STATE', grpc.status.FAILED_PRECONDITION, `start() on a ${this.state} server`);
    }
    this.state = 'starting';
    this.boundPort = await new Promise<number>((resolve, reject) => {
      this.grpcServer.bindAsync(this.conf.ListenOn, grpc.ServerCredentials.createInsecure(), (err, port) => {
        if (err) reject(new RpcError('RPC_ERR_BIND', grpc.status.UNAVAILABLE, `cannot listen on ${this.conf.ListenOn}: ${err.message}`, { cause: err }));
        else resolve(port);
      });
    }).catch((err: unknown) => {
      this.state = 'new';
      throw err;
    });
    this.state = 'running';
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
