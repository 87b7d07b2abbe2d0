/**
 * A fixed trace set for the engine tests, and an in-memory TraceFetcher that honours (or, for
 * the pruning test, ignores) FetchRequest hints. Times are unix nanos; newest trace is T6.
 */
import type { FetchRequest, QueryTrace, TraceFetcher } from '../storage.ts';
import { requestToQuerySpans } from '../../otlp/index.ts';
import { decodedRequest, type Attrs, type SpanSpec } from '../../otlp/testing/trace-builder.ts';

const BASE = 1_700_000_000_000_000_000n;
const MS = 1_000_000n;

/** A span of the set: ids are short hex (left-padded to 16), times ms after the trace's start. */
interface SetSpan {
  id: string;
  parent?: string;
  name: string;
  kind: number;
  service: string;
  at: number;
  ms: number;
  /** An error status with this message ('' for an error without one). */
  error?: string;
  attrs?: Attrs;
  resource?: Attrs;
  /** Instrumentation scope attributes. */
  scope?: Attrs;
  events?: SpanSpec['events'];
}

/** The trace as the store hands it to the engine: built as OTLP, converted as stored spans are. */
function trace(traceId: string, startSec: number, specs: SetSpan[]): QueryTrace {
  const baseNs = BASE + BigInt(startSec) * 1_000_000_000n;
  const spans = specs.map(
    (s): SpanSpec => ({
      spanId: s.id.padStart(16, '0'),
      parentSpanId: s.parent?.padStart(16, '0'),
      name: s.name,
      kind: s.kind,
      start: s.at,
      end: s.at + s.ms,
      error: s.error,
      attributes: s.attrs,
      events: s.events,
      service: s.service,
      resource: s.resource,
      scope: { name: 'zeroscope', version: '0.1.0', attributes: s.scope },
    }),
  );
  const converted = requestToQuerySpans(decodedRequest(spans, { traceId, baseNs }));
  // Grouping by resource reorders the spans; keep the set's order for readable assertions.
  const order = spans.map((s) => s.spanId);
  return { traceId, spans: converted.sort((x, y) => order.indexOf(x.spanId) - order.indexOf(y.spanId)) };
}

const SERVER = 2;
const CLIENT = 3;
const INTERNAL = 1;
const PRODUCER = 4;
const CONSUMER = 5;

/** The seed's request: order SERVER → order CLIENT → user SERVER. Id has leading zeros. */
export const T1 = trace('00000000000000000000000000000a01', 100, [
  { id: '11', name: 'GET /api/order/:id', kind: SERVER, service: 'order', at: 0, ms: 50, attrs: { 'http.request.method': 'GET', 'http.response.status_code': 200, 'http.route': '/api/order/:id' } },
  { id: '12', parent: '11', name: 'user.User/GetUser', kind: CLIENT, service: 'order', at: 5, ms: 30, attrs: { 'rpc.system': 'grpc', 'rpc.grpc.status_code': 0 } },
  { id: '13', parent: '12', name: 'user.User/GetUser', kind: SERVER, service: 'user', at: 10, ms: 20, attrs: { 'rpc.system': 'grpc', 'rpc.grpc.status_code': 0 } },
]);

/** The same request for an unknown user: NotFound all the way up. */
export const T2 = trace('b0000000000000000000000000000002', 200, [
  { id: '21', name: 'GET /api/order/:id', kind: SERVER, service: 'order', at: 0, ms: 10, error: '', attrs: { 'http.request.method': 'GET', 'http.response.status_code': 500 } },
  { id: '22', parent: '21', name: 'user.User/GetUser', kind: CLIENT, service: 'order', at: 1, ms: 8, error: 'user not found', attrs: { 'rpc.grpc.status_code': 5 } },
  {
    id: '23', parent: '22', name: 'user.User/GetUser', kind: SERVER, service: 'user', at: 2, ms: 5, error: 'user not found',
    attrs: { 'rpc.grpc.status_code': 5 },
    events: [{ name: 'exception', at: BASE + 200_000_000_000n + 3n * MS, attributes: { 'exception.message': 'user 42 not found' } }],
  },
]);

/** A slow listing: a 2.4s query under a 2.5s request, with a sibling render span. */
export const T3 = trace('c0000000000000000000000000000003', 300, [
  { id: '31', name: 'GET /api/orders', kind: SERVER, service: 'order', at: 0, ms: 2500, attrs: { 'http.response.status_code': 200 } },
  { id: '32', parent: '31', name: 'db.query', kind: INTERNAL, service: 'order', at: 10, ms: 2400, attrs: { 'db.system': 'postgresql', 'db.rows': 1.5, cached: false } },
  { id: '33', parent: '31', name: 'render', kind: INTERNAL, service: 'order', at: 2420, ms: 50 },
]);

/** Six levels: gateway → order → user → cache. */
export const T4 = trace('d0000000000000000000000000000004', 400, [
  { id: '41', name: 'GET /checkout', kind: SERVER, service: 'gateway', at: 0, ms: 300, attrs: { 'http.response.status_code': 201 } },
  { id: '42', parent: '41', name: 'POST /api/order', kind: CLIENT, service: 'gateway', at: 5, ms: 280 },
  { id: '43', parent: '42', name: 'POST /api/order', kind: SERVER, service: 'order', at: 10, ms: 260 },
  { id: '44', parent: '43', name: 'user.User/GetUser', kind: CLIENT, service: 'order', at: 20, ms: 100 },
  { id: '45', parent: '44', name: 'user.User/GetUser', kind: SERVER, service: 'user', at: 25, ms: 90 },
  { id: '46', parent: '45', name: 'cache.get', kind: INTERNAL, service: 'user', at: 30, ms: 4, attrs: { 'cache.hit': true, tags: ['a', 'b'] } },
]);

/** Messaging between other services; `env` is on both the span and the resource. */
export const T5 = trace('e0000000000000000000000000000005', 500, [
  {
    id: '51', name: 'invoice.send', kind: PRODUCER, service: 'billing', at: 0, ms: 100,
    attrs: { 'messaging.system': 'kafka', retries: 3, ratio: 0.25, env: 'canary' }, resource: { env: 'prod' }, scope: { messaging: 'kafka' },
  },
  { id: '52', parent: '51', name: 'invoice.receive', kind: CONSUMER, service: 'mailer', at: 120, ms: 200, resource: { env: 'prod' } },
]);

/** Spans whose root has not arrived. */
export const T6 = trace('f0000000000000000000000000000006', 600, [
  { id: '61', parent: 'ffff', name: 'user.User/GetUser', kind: SERVER, service: 'user', at: 0, ms: 5 },
  { id: '62', parent: '61', name: 'cache.get', kind: INTERNAL, service: 'user', at: 1, ms: 3 },
]);

export const ALL_TRACES = [T1, T2, T3, T4, T5, T6];

/** Short names by search trace id (leading zeros trimmed), for readable assertions. */
export const NAMES = new Map<string, string>(
  ALL_TRACES.map((t, i) => [t.traceId.replace(/^0+/, ''), `T${i + 1}`]),
);

function bounds(t: QueryTrace): { start: bigint; end: bigint } {
  let start = t.spans[0].startTimeUnixNano;
  let end = t.spans[0].endTimeUnixNano;
  for (const s of t.spans) {
    if (s.startTimeUnixNano < start) start = s.startTimeUnixNano;
    if (s.endTimeUnixNano > end) end = s.endTimeUnixNano;
  }
  return { start, end };
}

/** True when the store may skip `t` under `req` (the contract in model.ts). */
export function excludedBy(req: FetchRequest, t: QueryTrace): boolean {
  const { start, end } = bounds(t);
  const duration = Number(end - start);
  if (req.startUnixNano !== undefined && end < req.startUnixNano) return true;
  if (req.endUnixNano !== undefined && start > req.endUnixNano) return true;
  if (req.serviceNames && !t.spans.some((s) => req.serviceNames!.includes(s.serviceName))) return true;
  if (req.spanNames && !t.spans.some((s) => req.spanNames!.includes(s.name))) return true;
  if (req.minTraceDurationNanos !== undefined && duration < req.minTraceDurationNanos) return true;
  if (req.maxTraceDurationNanos !== undefined && duration > req.maxTraceDurationNanos) return true;
  return false;
}

/** An in-memory store: newest first; `honourHints: false` returns every trace. */
export function memoryFetcher(traces: QueryTrace[] = ALL_TRACES, honourHints = true) {
  const requests: FetchRequest[] = [];
  let yielded = 0;
  const sorted = [...traces].sort((a, b) => (bounds(b).start > bounds(a).start ? 1 : -1));
  const fetcher: TraceFetcher & { requests: FetchRequest[]; yielded(): number } = {
    requests,
    yielded: () => yielded,
    async *fetchTraces(req: FetchRequest) {
      requests.push(req);
      for (const t of sorted) {
        if (honourHints && excludedBy(req, t)) continue;
        yielded++;
        yield t;
      }
    },
  };
  return fetcher;
}
