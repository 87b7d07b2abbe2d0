/**
 * Tempo's service-graph processor: a CLIENT (or PRODUCER) span and the SERVER (or CONSUMER) span
 * whose parent it is make one edge client → server. Either half may arrive first, in another
 * export, from another service; the first waits in the EdgeStore. A complete edge counts one
 * request, a failure when either side has status ERROR, and both sides' latencies. An edge that
 * expires unpaired may still count, as Tempo's "virtual nodes" do: a root server span with no
 * client becomes `user → server` (or its peer attribute's value), a client span naming its peer
 * becomes `client → peer`; both with `connection_type="virtual_node"`, as in Tempo.
 */
import { bytesToHex, longToBigInt, type ExportTraceServiceRequest, type KeyValue, type Span } from '../otlp/index.ts';
import type { ResolvedGeneratorOptions } from './config.ts';
import { EdgeStore, type Edge } from './edge-store.ts';
import { SERVICE_GRAPH_LABELS, VIRTUAL_NODE_LABEL, type DimensionLabel, type GeneratorMetrics, type ServiceGraphLabel, type ServiceGraphLabelPlan } from './metrics.ts';
import { KIND, STATUS_ERROR, durationSeconds, findAttribute } from './span-facts.ts';

/** The service-graph processor; `consume` is called with every stored export. */
export class ServiceGraphProcessor {
  readonly store: EdgeStore;
  /** Told of every request counted (a completed edge, virtual ones included); see graph-series.ts. */
  onRequest: ((e: Edge) => void) | undefined;
  /** One kept label object per distinct set of label values (see SeriesHistogram). */
  private readonly labels = new Map<string, Record<ServiceGraphLabel, string>>();
  private readonly plan: ServiceGraphLabelPlan;

  constructor(
    private readonly metrics: GeneratorMetrics,
    private readonly options: ResolvedGeneratorOptions,
  ) {
    this.plan = metrics.graphLabels;
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
            traceHex = bytesToHex(span.traceId);
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
    const client = span.kind === KIND.PRODUCER || span.kind === KIND.CLIENT;
    const dimensions = this.dimensionsOf(client ? this.plan.client : this.plan.server, resourceAttrs, span.attributes);
    if (client) {
      return {
        client: true,
        key: `${traceHex}-${bytesToHex(span.spanId)}`,
        traceHex,
        messaging: span.kind === KIND.PRODUCER,
        service,
        latencySec,
        failed,
        peerNode: this.peerNode(span.attributes),
        database: databaseServer(this.options.databaseNameAttributes, resourceAttrs, span),
        serverIsRoot: false,
        dimensions,
        timeNs: longToBigInt(span.endTimeUnixNano),
      };
    }
    return {
      client: false,
      key: `${traceHex}-${bytesToHex(span.parentSpanId)}`,
      traceHex,
      messaging: span.kind === KIND.CONSUMER,
      service,
      latencySec,
      failed,
      // A root server span naming its caller (peer.service…) names the virtual client node.
      peerNode: this.peerNode(span.attributes),
      database: undefined,
      serverIsRoot: span.parentSpanId.length === 0,
      dimensions,
      timeNs: longToBigInt(span.startTimeUnixNano),
    };
  }

  private dimensionsOf(labels: readonly DimensionLabel[], resourceAttrs: readonly KeyValue[] | undefined, spanAttrs: readonly KeyValue[]): Record<string, string> | undefined {
    if (labels.length === 0) return undefined;
    const out: Record<string, string> = {};
    for (const { label, attribute } of labels) {
      const value = findAttribute(attribute, resourceAttrs, spanAttrs);
      if (value !== undefined) out[label] = value;
    }
    return out;
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
    const messaging = this.metrics.requestMessagingSystemSeconds;
    // Producer end → consumer start; skipped when the clocks disagree, as Tempo does.
    if (messaging && e.connectionType === 'messaging_system' && e.serverStartNs > e.clientEndNs) {
      messaging.observeSeries(labels, Number(e.serverStartNs - e.clientEndNs) / 1e9);
    }
    this.onRequest?.(e);
  }

  /** The edge's label object, the same object every time for the same values. */
  private edgeLabels(e: Edge): Record<ServiceGraphLabel, string> {
    const names = this.plan.names;
    let key = `${e.clientService}\u0000${e.serverService}\u0000${e.connectionType}`;
    for (let i = SERVICE_GRAPH_LABELS.length; i < names.length; i++) key += `\u0000${this.labelValue(e, names[i]!)}`;
    let labels = this.labels.get(key);
    if (!labels) {
      labels = { client: e.clientService, server: e.serverService, connection_type: e.connectionType };
      for (let i = SERVICE_GRAPH_LABELS.length; i < names.length; i++) labels[names[i]!] = this.labelValue(e, names[i]!);
      this.labels.set(key, labels);
    }
    return labels;
  }

  private labelValue(e: Edge, name: string): string {
    return name === VIRTUAL_NODE_LABEL && this.options.enableVirtualNodeLabel ? e.virtualNode : (e.dimensions[name] ?? '');
  }

  /**
   * An edge whose other half never came (Tempo's onExpire): its connection type becomes
   * `virtual_node`, and it still counts when the missing side can be named — a root server span
   * is called from outside (its peer attribute's value, else `user`), a client span names the
   * uninstrumented server it called with a peer attribute.
   */
  private expired(e: Edge): void {
    this.metrics.unpairedSpansTotal.inc(this.edgeLabels(e));
    if (!e.clientService && e.serverIsRoot) {
      this.complete({ ...e, clientService: e.peerNode || 'user', connectionType: 'virtual_node', virtualNode: 'client' });
    } else if (e.clientService && !e.serverService && e.peerNode) {
      this.complete({ ...e, serverService: e.peerNode, connectionType: 'virtual_node', virtualNode: 'server' });
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
  /** The first peer attribute's value: names the node that never reports spans. */
  peerNode: string | undefined;
  /** Client side: the span calls a database (server named when it can be). */
  database: { server: string | undefined } | undefined;
  serverIsRoot: boolean;
  /** Dimension labels read from this side's span and resource. */
  dimensions: Record<string, string> | undefined;
  /** The client span's end or the server span's start (ns). */
  timeNs: bigint;
}

function applyFact(e: Edge, f: EdgeFact): void {
  e.traceId = f.traceHex;
  if (f.messaging) e.connectionType = 'messaging_system';
  e.failed ||= f.failed;
  if (f.dimensions) Object.assign(e.dimensions, f.dimensions);
  e.peerNode = f.peerNode ?? e.peerNode;
  if (!f.client) {
    e.serverService = f.service;
    e.serverLatencySec = f.latencySec;
    e.serverIsRoot = f.serverIsRoot;
    e.serverStartNs = f.timeNs;
    return;
  }
  e.clientService = f.service;
  e.clientLatencySec = f.latencySec;
  e.clientEndNs = f.timeNs;
  if (f.database) {
    // A database never sends spans: the edge completes at once.
    e.connectionType = 'database';
    e.serverLatencySec = f.latencySec;
    if (f.database.server) e.serverService = f.database.server;
  }
}

/**
 * A client span with one of `nameAttributes` (db.namespace, db.name, db.system, db.system.name) is
 * a call to a database, which never sends spans; the server is named as Tempo names it: peer.service,
 * server.address, network.peer.address(:port), else the first name attribute found.
 */
function databaseServer(nameAttributes: readonly string[], resourceAttrs: readonly KeyValue[] | undefined, span: Span): { server: string | undefined } | undefined {
  let dbName: string | undefined;
  for (const key of nameAttributes) {
    dbName = findAttribute(key, resourceAttrs, span.attributes);
    if (dbName) break;
  }
  if (!dbName) return undefined;
  const host = findAttribute('network.peer.address', resourceAttrs, span.attributes);
  const port = findAttribute('network.peer.port', resourceAttrs, span.attributes);
  const server =
    findAttribute('peer.service', resourceAttrs, span.attributes) ??
    findAttribute('server.address', resourceAttrs, span.attributes) ??
    (host ? (port ? `${host}:${port}` : host) : undefined) ??
    dbName;
  return { server };
}
