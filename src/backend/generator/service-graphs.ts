/**
 * Tempo's service-graph processor: a CLIENT (or PRODUCER) span and the SERVER (or CONSUMER) span
 * whose parent it is make one edge client → server. Either half may arrive first, in another
 * export, from another service; the first waits in the EdgeStore. A complete edge counts one
 * request, a failure when either side has status ERROR, and both sides' latencies. An edge that
 * expires unpaired may still count, as Tempo's "virtual nodes" do: a root server span with no
 * client becomes `user → server`, a client span naming its peer becomes `client → peer`.
 */
import type { ExportTraceServiceRequest, KeyValue, Span } from '../otlp/index.ts';
import type { ResolvedGeneratorOptions } from './config.ts';
import { EdgeStore, type Edge } from './edge-store.ts';
import type { GeneratorMetrics, ServiceGraphLabel } from './metrics.ts';
import { KIND, STATUS_ERROR, durationSeconds, findAttribute, parentIdHex, spanIdHex, traceIdHex } from './span-facts.ts';

/** The service-graph processor; `consume` is called with every stored export. */
export class ServiceGraphProcessor {
  readonly store: EdgeStore;

  constructor(
    private readonly metrics: GeneratorMetrics,
    private readonly options: ResolvedGeneratorOptions,
  ) {
    this.store = new EdgeStore(options.waitMs, options.maxItems, (e) => this.complete(e), (e) => this.expired(e), options.now);
  }

  consume(request: ExportTraceServiceRequest): void {
    for (const rs of request.resourceSpans) {
      const service = findAttribute('service.name', rs.resource?.attributes);
      if (!service) continue; // Tempo skips resources without a service name
      const resourceAttrs = rs.resource?.attributes;
      for (const ss of rs.scopeSpans) {
        for (const span of ss.spans) {
          const upserted = this.consumeSpan(service, resourceAttrs, span);
          if (upserted?.result === 'dropped') this.metrics.droppedSpansTotal.inc(edgeLabels(upserted.edge));
        }
      }
    }
  }

  /** Expires edges past their wait (the generator calls this on a timer). */
  expire(): number {
    return this.store.expire();
  }

  private consumeSpan(service: string, resourceAttrs: readonly KeyValue[] | undefined, span: Span) {
    const failed = span.status?.code === STATUS_ERROR;
    switch (span.kind) {
      case KIND.PRODUCER:
      case KIND.CLIENT:
        return this.store.upsert(`${traceIdHex(span)}-${spanIdHex(span)}`, (e) => {
          e.traceId = traceIdHex(span);
          if (span.kind === KIND.PRODUCER) e.connectionType = 'messaging_system';
          e.clientService = service;
          e.clientLatencySec = durationSeconds(span);
          e.failed ||= failed;
          e.peerNode = this.peerNode(span.attributes) ?? e.peerNode;
          this.databaseServer(e, resourceAttrs, span);
        });
      case KIND.CONSUMER:
      case KIND.SERVER:
        return this.store.upsert(`${traceIdHex(span)}-${parentIdHex(span)}`, (e) => {
          e.traceId = traceIdHex(span);
          if (span.kind === KIND.CONSUMER) e.connectionType = 'messaging_system';
          e.serverService = service;
          e.serverLatencySec = durationSeconds(span);
          e.serverIsRoot = span.parentSpanId.length === 0;
          e.failed ||= failed;
        });
      default:
        return undefined; // not part of an edge
    }
  }

  private peerNode(attrs: readonly KeyValue[]): string | undefined {
    for (const key of this.options.peerAttributes) {
      const value = findAttribute(key, attrs);
      if (value) return value;
    }
    return undefined;
  }

  /**
   * A client span with `db.name` or `db.system` is a call to a database, which never sends
   * spans: the edge completes at once, the server named as Tempo names it.
   */
  private databaseServer(e: Edge, resourceAttrs: readonly KeyValue[] | undefined, span: Span): void {
    const dbName = findAttribute('db.name', resourceAttrs, span.attributes);
    if (!dbName && !findAttribute('db.system', resourceAttrs, span.attributes)) return;
    e.connectionType = 'database';
    e.serverLatencySec = durationSeconds(span);
    const host = findAttribute('network.peer.address', resourceAttrs, span.attributes);
    const port = findAttribute('network.peer.port', resourceAttrs, span.attributes);
    const server =
      findAttribute('peer.service', resourceAttrs, span.attributes) ??
      findAttribute('server.address', resourceAttrs, span.attributes) ??
      (host ? (port ? `${host}:${port}` : host) : undefined) ??
      dbName;
    if (server) e.serverService = server;
  }

  private complete(e: Edge): void {
    const labels = edgeLabels(e);
    this.metrics.requestTotal.inc(labels);
    if (e.failed) this.metrics.requestFailedTotal.inc(labels);
    this.metrics.requestServerSeconds.observe(labels, e.serverLatencySec);
    this.metrics.requestClientSeconds.observe(labels, e.clientLatencySec);
  }

  private expired(e: Edge): void {
    this.metrics.unpairedSpansTotal.inc(edgeLabels(e));
    if (!e.clientService && e.serverIsRoot) {
      // A request from outside (a browser, curl): Tempo draws it from a "user" node.
      this.complete({ ...e, clientService: 'user', connectionType: 'virtual_node' });
    } else if (!e.serverService && e.peerNode) {
      // A call to something uninstrumented that the client named.
      this.complete({ ...e, serverService: e.peerNode, connectionType: 'virtual_node' });
    }
  }
}

function edgeLabels(e: Edge): Record<ServiceGraphLabel, string> {
  return { client: e.clientService, server: e.serverService, connection_type: e.connectionType };
}
