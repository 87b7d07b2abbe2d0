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
import { KIND, STATUS_ERROR, durationSeconds, findAttribute, idHex } from './span-facts.ts';

/** The service-graph processor; `consume` is called with every stored export. */
export class ServiceGraphProcessor {
  readonly store: EdgeStore;
  /** Told of every request counted (a completed edge, virtual ones included); see graph-series.ts. */
  onRequest: ((e: Edge) => void) | undefined;
  /** One kept label object per connection type, client and server (see SeriesHistogram). */
  private readonly labels = new Map<string, Map<string, Map<string, Record<ServiceGraphLabel, string>>>>();

  constructor(
    private readonly metrics: GeneratorMetrics,
    private readonly options: ResolvedGeneratorOptions,
  ) {
    this.store = new EdgeStore(options.waitMs, options.maxItems, (e) => this.complete(e), (e) => this.expired(e), options.now);
  }

  consume(request: ExportTraceServiceRequest): void {
    this.record(this.read(request));
  }

  /**
   * What the request's client and server spans tell about edges, read without touching any
   * state, so that {@link record} can apply it once the request is stored and the request itself
   * need not be kept until then.
   */
  read(request: ExportTraceServiceRequest): EdgeFact[] {
    const facts: EdgeFact[] = [];
    // Spans of a trace share one id object (see decode-spans.ts): its hex is made once.
    let lastTraceId: Uint8Array | undefined;
    let traceHex = '';
    for (const rs of request.resourceSpans) {
      const service = findAttribute('service.name', rs.resource?.attributes);
      if (!service) continue; // Tempo skips resources without a service name
      const resourceAttrs = rs.resource?.attributes;
      for (const ss of rs.scopeSpans) {
        for (const span of ss.spans) {
          if (span.kind < KIND.SERVER || span.kind > KIND.CONSUMER) continue; // not part of an edge
          if (span.traceId !== lastTraceId) {
            lastTraceId = span.traceId;
            traceHex = idHex(span.traceId);
          }
          facts.push(this.factOf(service, resourceAttrs, span, traceHex));
        }
      }
    }
    return facts;
  }

  /** Applies facts from {@link read}, in order: each pairs with a waiting edge or waits. */
  record(facts: readonly EdgeFact[]): void {
    for (const fact of facts) {
      const upserted = this.store.upsert(fact.key, (e) => applyFact(e, fact));
      if (upserted.result === 'dropped') this.metrics.droppedSpansTotal.inc(this.edgeLabels(upserted.edge));
    }
  }

  /** Expires edges past their wait (the generator calls this on a timer). */
  expire(): number {
    return this.store.expire();
  }

  private factOf(service: string, resourceAttrs: readonly KeyValue[] | undefined, span: Span, traceHex: string): EdgeFact {
    const failed = span.status?.code === STATUS_ERROR;
    const latencySec = durationSeconds(span);
    if (span.kind === KIND.PRODUCER || span.kind === KIND.CLIENT) {
      return {
        client: true,
        key: `${traceHex}-${idHex(span.spanId)}`,
        traceHex,
        messaging: span.kind === KIND.PRODUCER,
        service,
        latencySec,
        failed,
        peerNode: this.peerNode(span.attributes),
        database: databaseServer(resourceAttrs, span),
        serverIsRoot: false,
      };
    }
    return {
      client: false,
      key: `${traceHex}-${idHex(span.parentSpanId)}`,
      traceHex,
      messaging: span.kind === KIND.CONSUMER,
      service,
      latencySec,
      failed,
      peerNode: undefined,
      database: undefined,
      serverIsRoot: span.parentSpanId.length === 0,
    };
  }

  private peerNode(attrs: readonly KeyValue[]): string | undefined {
    for (const key of this.options.peerAttributes) {
      const value = findAttribute(key, attrs);
      if (value) return value;
    }
    return undefined;
  }

  private complete(e: Edge): void {
    const labels = this.edgeLabels(e);
    this.metrics.requestTotal.inc(labels);
    if (e.failed) this.metrics.requestFailedTotal.inc(labels);
    this.metrics.requestServerSeconds.observeSeries(labels, e.serverLatencySec);
    this.metrics.requestClientSeconds.observeSeries(labels, e.clientLatencySec);
    this.onRequest?.(e);
  }

  /** The edge's label object, the same object every time for the same values. */
  private edgeLabels(e: Edge): Record<ServiceGraphLabel, string> {
    let byClient = this.labels.get(e.connectionType);
    if (!byClient) this.labels.set(e.connectionType, (byClient = new Map()));
    let byServer = byClient.get(e.clientService);
    if (!byServer) byClient.set(e.clientService, (byServer = new Map()));
    let labels = byServer.get(e.serverService);
    if (!labels) byServer.set(e.serverService, (labels = { client: e.clientService, server: e.serverService, connection_type: e.connectionType }));
    return labels;
  }

  private expired(e: Edge): void {
    this.metrics.unpairedSpansTotal.inc(this.edgeLabels(e));
    if (!e.clientService && e.serverIsRoot) {
      // A request from outside (a browser, curl): Tempo draws it from a "user" node.
      this.complete({ ...e, clientService: 'user', connectionType: 'virtual_node' });
    } else if (!e.serverService && e.peerNode) {
      // A call to something uninstrumented that the client named.
      this.complete({ ...e, serverService: e.peerNode, connectionType: 'virtual_node' });
    }
  }
}

/** One client or server span's part of an edge (see ServiceGraphProcessor.read). */
export interface EdgeFact {
  /** A CLIENT or PRODUCER span; else SERVER or CONSUMER. */
  client: boolean;
  /** Trace id + the client's span id (a server span's parent id). */
  key: string;
  traceHex: string;
  /** PRODUCER or CONSUMER. */
  messaging: boolean;
  service: string;
  latencySec: number;
  failed: boolean;
  /** Client side: a name for a server that never reports, from the peer attributes. */
  peerNode: string | undefined;
  /** Client side: the span calls a database (server named when it can be). */
  database: { server: string | undefined } | undefined;
  serverIsRoot: boolean;
}

function applyFact(e: Edge, f: EdgeFact): void {
  e.traceId = f.traceHex;
  if (f.messaging) e.connectionType = 'messaging_system';
  e.failed ||= f.failed;
  if (!f.client) {
    e.serverService = f.service;
    e.serverLatencySec = f.latencySec;
    e.serverIsRoot = f.serverIsRoot;
    return;
  }
  e.clientService = f.service;
  e.clientLatencySec = f.latencySec;
  e.peerNode = f.peerNode ?? e.peerNode;
  if (f.database) {
    // A database never sends spans: the edge completes at once.
    e.connectionType = 'database';
    e.serverLatencySec = f.latencySec;
    if (f.database.server) e.serverService = f.database.server;
  }
}

/**
 * A client span with `db.name` or `db.system` is a call to a database, which never sends
 * spans; the server is named as Tempo names it.
 */
function databaseServer(resourceAttrs: readonly KeyValue[] | undefined, span: Span): { server: string | undefined } | undefined {
  const dbName = findAttribute('db.name', resourceAttrs, span.attributes);
  if (!dbName && !findAttribute('db.system', resourceAttrs, span.attributes)) return undefined;
  const host = findAttribute('network.peer.address', resourceAttrs, span.attributes);
  const port = findAttribute('network.peer.port', resourceAttrs, span.attributes);
  const server =
    findAttribute('peer.service', resourceAttrs, span.attributes) ??
    findAttribute('server.address', resourceAttrs, span.attributes) ??
    (host ? (port ? `${host}:${port}` : host) : undefined) ??
    dbName;
  return { server };
}
