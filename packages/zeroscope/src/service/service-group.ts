import { ServiceError } from './errors.ts';
import type { Server } from './server.ts';
import { warmUpAgent } from '../trace/index.ts';
import { tearDown } from './setup.ts';

/**
 * Runs several servers as one (go-zero's ServiceGroup): starts them in the order added and stops
 * them in reverse, exactly once, then tears the set-up down (src/service/setup.ts: trace agent, log
 * export, metrics server) so the spans and logs of the last requests are not lost. Once every
 * server listens, the trace agent loads what it deferred (the outgoing-call instrumentations).
 *
 * @example
 *   const group = new ServiceGroup().add(rpcServer).add(restServer);
 *   await runGroup(group); // start, then stop on SIGTERM/SIGINT
 */
export class ServiceGroup {
  private readonly servers: Server[] = [];
  private readonly started: Server[] = [];
  private starting: Promise<void> | undefined;
  /** The one server.start() in flight, so a stop can wait for it (not for the whole start). */
  private current: Promise<void> | undefined;
  private stopping: Promise<void> | undefined;

  /** Adds servers; they start in this order and stop in reverse. */
  add(...servers: Server[]): this {
    if (this.starting) throw new ServiceError('SERVICE_ERR_START', 'ServiceGroup: add() after start()');
    this.servers.push(...servers);
    return this;
  }

  /**
   * Starts every server in order. If one fails, the ones already started are stopped (in reverse)
   * and the failure is rethrown as `SERVICE_ERR_START`. Calling it again returns the same promise.
   */
  start(): Promise<void> {
    this.starting ??= this.startAll();
    return this.starting;
  }

  private async startAll(): Promise<void> {
    for (const server of this.servers) {
      if (this.stopping) return; // a stop arrived mid-start: start nothing more
      try {
        this.current = server.start();
        await this.current;
      } catch (err) {
        await this.stop().catch(() => undefined);
        throw new ServiceError('SERVICE_ERR_START', `a server failed to start: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
      }
      this.started.push(server);
    }
    // Every server listens: what the trace agent left for later loads in the next idle turn of
    // the event loop, not inside the first request.
    if (!this.stopping) setImmediate(warmUpAgent).unref();
  }

  /**
   * Stops the started servers in reverse order, once (later calls share the first call's promise),
   * then shuts down the trace agent. Every server is asked to stop even if an earlier one failed;
   * failures are reported together as `SERVICE_ERR_STOP`.
   */
  stop(): Promise<void> {
    this.stopping ??= this.stopAll();
    return this.stopping;
  }

  private async stopAll(): Promise<void> {
    // Let a server that is starting right now finish, so it gets stopped too.
    await this.current?.catch(() => undefined);
    const errors: unknown[] = [];
    for (const server of [...this.started].reverse()) {
      try {
        await server.stop();
      } catch (err) {
        errors.push(err);
      }
    }
    await tearDown();
    if (errors.length === 1) throw new ServiceError('SERVICE_ERR_STOP', `a server failed to stop: ${String((errors[0] as Error)?.message ?? errors[0])}`, { cause: errors[0] });
    if (errors.length > 1) throw new ServiceError('SERVICE_ERR_STOP', `${errors.length} servers failed to stop`, { cause: new AggregateError(errors) });
  }
}
