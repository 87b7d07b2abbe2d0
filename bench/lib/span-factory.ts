/**
 * Realistic OTLP export requests for the backend benchmarks: traces of 8 spans across three
 * services (order → user, order → inventory), each span with 10–20 attributes following the
 * stable semantic conventions plus a few application ones, and 1–2 events. Values vary by trace
 * so that searches select a fraction: durations spread over 1 ms – 1 s, ~1% of traces fail,
 * 5% are `enterprise` customers. The spans are described as the shared trace builder's specs
 * and encoded by it.
 */
import { exportRequestObject, type Attrs, type ResourceSpec, type SpanSpec } from '../../packages/cli/src/backend/otlp/testing/trace-builder.ts';

/** Nanoseconds as a decimal string: what protobufjs encodes for fixed64 and OTLP/JSON carries. */
type Nanos = string;

export interface KeyValue {
  key: string;
  value: { stringValue?: string; intValue?: string; boolValue?: boolean; doubleValue?: number };
}

export interface SpanObject {
  traceId: Uint8Array;
  spanId: Uint8Array;
  parentSpanId?: Uint8Array;
  name: string;
  kind: number;
  startTimeUnixNano: Nanos;
  endTimeUnixNano: Nanos;
  attributes: KeyValue[];
  events: Array<{ timeUnixNano: Nanos; name: string; attributes: KeyValue[] }>;
  status: { code: number; message?: string };
}

/** An ExportTraceServiceRequest as plain objects (ids as bytes, times as decimal strings). */
export interface ExportRequestObject {
  resourceSpans: Array<{
    resource: { attributes: KeyValue[] };
    scopeSpans: Array<{ scope: { name: string; version: string }; spans: SpanObject[] }>;
  }>;
}

export const SPANS_PER_TRACE = 8;
export const SERVICES = ['order', 'user', 'inventory'] as const;

const SCOPE = { name: 'zeroscope-bench', version: '1.0.0' };

/** A small deterministic hash, so the same trace number always gets the same shape. */
function mix(n: number): number {
  let x = (n ^ 0x9e3779b9) >>> 0;
  x = Math.imul(x ^ (x >>> 16), 0x85ebca6b) >>> 0;
  x = Math.imul(x ^ (x >>> 13), 0xc2b2ae35) >>> 0;
  return (x ^ (x >>> 16)) >>> 0;
}

/** 16-byte trace id: 8 bytes of `prefix`, then the trace number. */
export function traceIdBytes(prefix: Uint8Array, traceNumber: number): Uint8Array {
  const id = new Uint8Array(16);
  id.set(prefix.subarray(0, 8), 0);
  new DataView(id.buffer).setUint32(8, Math.floor(traceNumber / 2 ** 32));
  new DataView(id.buffer).setUint32(12, traceNumber >>> 0);
  return id;
}

function spanIdBytes(traceNumber: number, index: number): Uint8Array {
  const id = new Uint8Array(8);
  new DataView(id.buffer).setUint32(0, mix(traceNumber) | 1);
  new DataView(id.buffer).setUint32(4, index + 1);
  return id;
}

export function hex(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString('hex');
}

/** How one trace looks, derived from its number. */
export interface TraceShape {
  durationMs: number;
  error: boolean;
  tier: 'free' | 'pro' | 'enterprise';
}

export function traceShape(traceNumber: number): TraceShape {
  const h = mix(traceNumber);
  return {
    durationMs: 1 + (h % 1000),
    error: h % 100 === 7,
    tier: h % 20 === 0 ? 'enterprise' : h % 3 === 0 ? 'pro' : 'free',
  };
}

interface SpanPlan {
  service: (typeof SERVICES)[number];
  parent: number;
  name: string;
  kind: number; // 1 internal, 2 server, 3 client
  /** Start and end as fractions of the trace's duration. */
  from: number;
  to: number;
}

const PLAN: readonly SpanPlan[] = [
  { service: 'order', parent: -1, name: 'GET /api/order/:id', kind: 2, from: 0, to: 1 },
  { service: 'order', parent: 0, name: 'validate order', kind: 1, from: 0.02, to: 0.08 },
  { service: 'order', parent: 0, name: 'user.User/GetUser', kind: 3, from: 0.1, to: 0.45 },
  { service: 'user', parent: 2, name: 'user.User/GetUser', kind: 2, from: 0.12, to: 0.43 },
  { service: 'user', parent: 3, name: 'SELECT users', kind: 3, from: 0.15, to: 0.4 },
  { service: 'order', parent: 0, name: 'inventory.Stock/Reserve', kind: 3, from: 0.5, to: 0.97 },
  { service: 'inventory', parent: 5, name: 'inventory.Stock/Reserve', kind: 2, from: 0.52, to: 0.95 },
  { service: 'inventory', parent: 6, name: 'reserve stock', kind: 1, from: 0.55, to: 0.9 },
];

function spanAttributes(plan: SpanPlan, t: number, shape: TraceShape): Attrs {
  const common = {
    'app.customer.tier': shape.tier,
    'app.order.id': `o-${t}`,
    'app.region': ['eu-west-1', 'us-east-1', 'ap-south-1'][t % 3],
    'thread.id': 1 + (t % 8),
    'code.function': `${plan.service}.${plan.name.replace(/\W+/g, '_')}`,
    'code.filepath': `src/${plan.service}/handler.ts`,
    'code.lineno': 40 + plan.kind * 7,
  };
  const failed = shape.error && plan.service !== 'inventory';
  if (plan.kind === 2 && plan.service === 'order') {
    return {
      ...common,
      'http.request.method': 'GET',
      'http.route': '/api/order/:id',
      'url.path': `/api/order/${t % 1000}`,
      'url.scheme': 'http',
      'http.response.status_code': failed ? 500 : 200,
      'server.address': 'order.internal',
      'server.port': 8888,
      'client.address': `10.0.${t % 256}.${(t >> 8) % 256}`,
      'network.protocol.version': '1.1',
      'user_agent.original': 'Mozilla/5.0 (X11; Linux x86_64) bench/1.0',
      'http.request.body.size': 0,
      'http.response.body.size': 180 + (t % 40),
    };
  }
  if (plan.kind === 2 || plan.kind === 3) {
    const [svc, method] = plan.name.split('/');
    if (plan.name.startsWith('SELECT')) {
      return { ...common, 'db.system': 'postgresql', 'db.namespace': 'users', 'db.query.text': 'SELECT id, name, email FROM users WHERE id = $1', 'server.address': 'db.internal', 'server.port': 5432 };
    }
    return {
      ...common,
      'rpc.system': 'grpc',
      'rpc.service': svc,
      'rpc.method': method,
      'rpc.grpc.status_code': failed ? 13 : 0,
      'server.address': `${svc.split('.')[0]}.internal`,
      'server.port': 8080,
      'network.peer.address': '10.1.0.7',
      'network.peer.port': 40_000 + (t % 20_000),
    };
  }
  return { ...common, 'app.cache.hit': t % 4 === 0, 'app.items': 1 + (t % 5), 'app.step': plan.name };
}

/** A resource of `service` (the builder writes service.name first) and its spans. */
function resource(service: string, instance: string, spans: SpanSpec[]): ResourceSpec {
  const attributes = {
    'service.namespace': 'shop',
    'service.version': '1.4.2',
    'service.instance.id': instance,
    'deployment.environment.name': 'prod',
    'host.name': `${service}-7d9f8b-${instance}`,
    'telemetry.sdk.language': 'nodejs',
    'telemetry.sdk.name': 'opentelemetry',
    'telemetry.sdk.version': '2.12.0',
  };
  return { service, attributes, scope: SCOPE, spans };
}

/** The request of {@link SERVICES}' resources, in that order. */
function request(byService: Map<string, SpanSpec[]>): ExportRequestObject {
  return exportRequestObject(SERVICES.map((service) => resource(service, 'a1', byService.get(service)!))) as ExportRequestObject;
}

export interface BatchOptions {
  /** First 8 bytes of every trace id in the batch. */
  prefix: Uint8Array;
  /** Number of the batch's first trace; traces are numbered consecutively. */
  firstTrace: number;
  traces: number;
  /** Start of trace 0 (unix ms); trace n starts `slotOf(n) * spacingMs` later. */
  baseTimeMs: number;
  spacingMs: number;
  /** The time slot of trace n (default n: traces in numbering order). */
  slotOf?: (trace: number) => number;
}

/** One export request holding `traces` whole traces (8 spans each), grouped by service. */
export function buildBatch(options: BatchOptions): ExportRequestObject {
  const byService = new Map<string, SpanSpec[]>(SERVICES.map((s) => [s, []]));
  for (let i = 0; i < options.traces; i++) {
    const t = options.firstTrace + i;
    const shape = traceShape(t);
    const traceId = traceIdBytes(options.prefix, t);
    const slot = options.slotOf ? options.slotOf(t) : t;
    const startNs = BigInt(Math.round((options.baseTimeMs + slot * options.spacingMs) * 1000)) * 1000n;
    const durNs = BigInt(shape.durationMs) * 1_000_000n;
    PLAN.forEach((plan, k) => {
      const start = startNs + (durNs * BigInt(Math.round(plan.from * 1000))) / 1000n;
      const end = startNs + (durNs * BigInt(Math.round(plan.to * 1000))) / 1000n;
      const failed = shape.error && (k === 0 || plan.service === 'user');
      // 1–2 events: a sent message, then a received message or the exception that failed it.
      const events: NonNullable<SpanSpec['events']> = [{ at: start + 1000n, name: 'message', attributes: { 'message.type': 'SENT', 'message.id': 1 } }];
      if (failed) events.push({ at: end - 500n, name: 'exception', attributes: { 'exception.type': 'Error', 'exception.message': 'upstream unavailable' } });
      else if (plan.kind !== 1) events.push({ at: end - 1000n, name: 'message', attributes: { 'message.type': 'RECEIVED', 'message.id': 1 } });
      byService.get(plan.service)!.push({
        traceId,
        spanId: spanIdBytes(t, k),
        parentSpanId: plan.parent >= 0 ? spanIdBytes(t, plan.parent) : undefined,
        name: plan.name,
        kind: plan.kind,
        start,
        end,
        attributes: spanAttributes(plan, t, shape),
        events,
        error: failed ? 'upstream unavailable' : undefined,
      });
    });
  }
  return request(byService);
}

/**
 * The part of a request that one service's own exporter would send: its resource's spans only
 * (of {@link buildBatch}'s traces, order has 4 spans a trace, user and inventory 2 each).
 */
export function servicePart(request: ExportRequestObject, service: (typeof SERVICES)[number]): ExportRequestObject {
  // service.name is each resource's first attribute.
  return { resourceSpans: request.resourceSpans.filter((rs) => rs.resource.attributes[0]?.value.stringValue === service) };
}

/** The same request as OTLP/JSON (ids in hex, as the spec says for JSON). */
export function toOtlpJson(request: ExportRequestObject): unknown {
  return {
    resourceSpans: request.resourceSpans.map((rs) => ({
      resource: rs.resource,
      scopeSpans: rs.scopeSpans.map((ss) => ({
        scope: ss.scope,
        spans: ss.spans.map((s) => ({
          ...s,
          traceId: hex(s.traceId),
          spanId: hex(s.spanId),
          ...(s.parentSpanId ? { parentSpanId: hex(s.parentSpanId) } : {}),
        })),
      })),
    })),
  };
}

/**
 * One trace of `spans` spans (the UI benchmark's big trace): a tree where every span has up to
 * `fanout` children, each child inside its parent's time, services alternating by depth, with
 * the same attributes and events as {@link buildBatch}'s spans.
 */
export function buildWideTrace(prefix: Uint8Array, traceNumber: number, spans: number, fanout = 4): ExportRequestObject {
  const traceId = traceIdBytes(prefix, traceNumber);
  const rootStart = BigInt(Date.now() - 60_000) * 1_000_000n;
  const starts: bigint[] = [rootStart];
  const durations: bigint[] = [BigInt(spans) * 20_000n];
  const depths: number[] = [0];
  const byService = new Map<string, SpanSpec[]>(SERVICES.map((s) => [s, []]));
  for (let k = 0; k < spans; k++) {
    const parent = k === 0 ? -1 : Math.floor((k - 1) / fanout);
    if (k > 0) {
      const slot = BigInt((k - 1) % fanout);
      const width = durations[parent] / BigInt(fanout);
      starts[k] = starts[parent] + slot * width + 1000n;
      durations[k] = (width * 9n) / 10n;
      depths[k] = depths[parent] + 1;
    }
    const plan = PLAN[k === 0 ? 0 : 1 + ((depths[k] + k) % (PLAN.length - 1))];
    const shape = traceShape(traceNumber + k);
    const end = starts[k] + durations[k];
    byService.get(plan.service)!.push({
      traceId,
      spanId: spanIdBytes(traceNumber, k),
      parentSpanId: parent >= 0 ? spanIdBytes(traceNumber, parent) : undefined,
      name: plan.name,
      kind: plan.kind,
      start: starts[k],
      end,
      attributes: spanAttributes(plan, traceNumber + k, shape),
      events: [{ at: starts[k] + 500n, name: 'message', attributes: { 'message.type': 'SENT', 'message.id': 1 } }],
      error: shape.error ? 'upstream unavailable' : undefined,
    });
  }
  return request(byService);
}
