/**
 * Helpers for the backend's acceptance suite (backend.test.ts): a real backend on free ports and a
 * temp data dir, a rich trace made by the OpenTelemetry SDK, and the Tempo-shaped views of a
 * span that let one comparison cover every trace-by-id answer (v1/v2, JSON/protobuf).
 */
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT_CONTEXT, SpanKind, SpanStatusCode, createTraceState, trace } from '@opentelemetry/api';
import type { Attributes, AttributeValue, HrTime } from '@opentelemetry/api';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import type { ReadableSpan, SpanExporter } from '@opentelemetry/sdk-trace-base';
import type protobuf from 'protobufjs';
import { tempoTypes } from '../../packages/cli/src/backend/api/index.ts';
import { startBackend, type RunningBackend } from '../../packages/cli/src/backend/app.ts';
import { resolveBackendConfig, type BackendConfig } from '../../packages/cli/src/backend/config.ts';
import { REPO, removeTempDirs, runNodeToExit, startSeedSystem, type ServiceProcess } from './harness.ts';
import { eventually } from '../lib/eventually.ts';

/** A backend on free loopback ports with its own temp data dir. */
export interface TestBackend {
  backend: RunningBackend;
  dataDir: string;
  /** Query API base URL. */
  api: string;
  /** What the backend reported in the background so far (`stop` asserts there was nothing). */
  errors: unknown[];
  /** Stops the backend; removes the data dir unless `keepData`. */
  stop(keepData?: boolean): Promise<void>;
}

/**
 * Starts the real backend (`startBackend`) on port 0 everywhere, in `dataDir` or a new temp dir;
 * `overrides` replace parts of the resolved config (the generator's timings, say).
 */
export async function startTestBackend(dataDir?: string, overrides: Partial<BackendConfig> = {}): Promise<TestBackend> {
  const dir = dataDir ?? (await mkdtemp(join(tmpdir(), 'zeroscope-backend-e2e-')));
  const config = resolveBackendConfig(
    { dataDir: dir, otlpHttpPort: '0', otlpGrpcPort: '0', zipkinPort: '0', queryPort: '0' },
    {},
  );
  const errors: unknown[] = [];
  const backend = await startBackend({ ...config, ...overrides }, { onError: (err) => errors.push(err) });
  return {
    backend,
    dataDir: dir,
    api: backend.addresses.query,
    errors,
    async stop(keepData = false) {
      await backend.stop();
      if (!keepData) await rm(dir, { recursive: true, force: true });
      assert.deepEqual(errors, [], 'the backend reported no background errors');
    },
  };
}

/** The seed services (user-rpc and order-api as processes) exporting to a test backend. */
export interface SeedOnBackend {
  tb: TestBackend;
  user: ServiceProcess;
  order: ServiceProcess;
  orderUrl: string;
  /** Stops the services, then the backend (asserting it reported nothing), and removes their files. */
  stop(): Promise<void>;
}

/** Starts a test backend and the seed services exporting to its OTLP/HTTP receiver. */
export async function startSeedOnBackend(overrides: Partial<BackendConfig> = {}): Promise<SeedOnBackend> {
  const tb = await startTestBackend(undefined, overrides);
  try {
    const { user, order, orderUrl } = await startSeedSystem(new URL(tb.backend.addresses.otlpHttp).host);
    return {
      tb,
      user,
      order,
      orderUrl,
      async stop() {
        try {
          await order.stop();
          await user.stop();
        } finally {
          removeTempDirs();
          await tb.stop();
        }
      },
    };
  } catch (err) {
    await tb.stop();
    throw err;
  }
}

// ---------------------------------------------------------------------------------------------
// A rich trace from the SDK

/** Every attribute value type OTLP has (AnyValue's scalars and arrays of each). */
export const RICH_ATTRIBUTES: Attributes = {
  'str': 'hello',
  'int': 42,
  'int.negative': -7,
  'int.max_safe': Number.MAX_SAFE_INTEGER,
  'dbl': 3.5,
  'flag': true,
  'flag.false': false,
  'strs': ['a', 'b'],
  'ints': [1, 2, 3],
  'dbls': [1.5, -2.25],
  'flags': [true, false],
};

export const LINKED = { traceId: '0af7651916cd43dd8448eb211c80319c', spanId: 'b7ad6b7169203331' };
export const SCOPE = { name: 'zeroscope-e2e-scope', version: '1.2.3' };
const hr = (sec: number, nanos: number): HrTime => [sec, nanos];

/**
 * Sends one trace through `exporter`: a SERVER root (error status with message, an event with
 * attributes) → a CLIENT child (OK status, a remote link with attributes and trace state) → an
 * INTERNAL grandchild, plus PRODUCER and CONSUMER children, with resource and scope attributes.
 * Timestamps are fixed offsets from `baseSec` (default: a minute ago, inside any retention).
 * Resolves with what an InMemorySpanExporter on the same provider captured.
 */
export async function emitRichTrace(
  exporter: SpanExporter,
  serviceName = 'checkout',
  baseSec = Math.floor(Date.now() / 1000) - 60,
): Promise<ReadableSpan[]> {
  const memory = new InMemorySpanExporter();
  const provider = new BasicTracerProvider({
    resource: resourceFromAttributes({ 'service.name': serviceName, 'deployment.environment': 'e2e', 'host.cores': 2 }),
    spanProcessors: [new SimpleSpanProcessor(memory), new SimpleSpanProcessor(exporter)],
  });
  const tracer = provider.getTracer(SCOPE.name, SCOPE.version);
  const base = baseSec;
  const root = tracer.startSpan('GET /api/order/:id', { kind: SpanKind.SERVER, attributes: RICH_ATTRIBUTES, startTime: hr(base, 123_456_789) });
  root.addEvent('exception', { 'exception.message': 'boom', 'retry.count': 2, 'retry.backoff': 0.25 }, hr(base, 500_000_000));
  root.addEvent('plain', hr(base, 600_000_000));
  root.setStatus({ code: SpanStatusCode.ERROR, message: 'boom' });
  const inRoot = trace.setSpan(ROOT_CONTEXT, root);
  const link = { context: { ...LINKED, traceFlags: 1, isRemote: true, traceState: createTraceState('vendor=v1') }, attributes: { 'link.why': 'retry', 'link.n': 1 } };
  const client = tracer.startSpan('user.User/Get', { kind: SpanKind.CLIENT, startTime: hr(base, 200_000_000), links: [link] }, inRoot);
  client.setStatus({ code: SpanStatusCode.OK });
  const internal = tracer.startSpan('compute', { kind: SpanKind.INTERNAL, startTime: hr(base, 250_000_000) }, trace.setSpan(ROOT_CONTEXT, client));
  internal.end(hr(base, 260_000_000));
  client.end(hr(base, 300_000_000));
  tracer.startSpan('publish', { kind: SpanKind.PRODUCER, startTime: hr(base, 310_000_000) }, inRoot).end(hr(base, 320_000_000));
  tracer.startSpan('consume', { kind: SpanKind.CONSUMER, startTime: hr(base, 330_000_000) }, inRoot).end(hr(base, 340_000_000));
  root.end(hr(base + 1, 987_654_321));
  await provider.forceFlush();
  const spans = [...memory.getFinishedSpans()]; // shutdown empties the in-memory exporter
  await provider.shutdown();
  assert.equal(spans.length, 5);
  return spans;
}

// ---------------------------------------------------------------------------------------------
// Tempo's JSON shapes

/** OTLP AnyValue / KeyValue as Tempo's JSON writes them (int64 as strings). */
export type AnyValueJson =
  | { stringValue: string }
  | { intValue: string }
  | { doubleValue: number }
  | { boolValue: boolean }
  | { arrayValue: { values: AnyValueJson[] } };
export interface KeyValueJson {
  key: string;
  value: AnyValueJson;
}

/** What a Tempo trace JSON span, event and link look like (only the fields we read). */
interface SpanJson {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  traceState?: string;
  name: string;
  kind?: string;
  startTimeUnixNano: string;
  endTimeUnixNano: string;
  attributes?: KeyValueJson[];
  events?: Array<{ timeUnixNano: string; name: string; attributes?: KeyValueJson[] }>;
  links?: Array<{ traceId: string; spanId: string; traceState?: string; attributes?: KeyValueJson[]; flags?: number }>;
  status?: { code?: string; message?: string };
  flags?: number;
}
export interface ResourceSpansJson {
  resource?: { attributes?: KeyValueJson[] };
  scopeSpans?: Array<{ scope?: { name?: string; version?: string }; spans?: SpanJson[] }>;
}

/** One span as compared: every field Tempo's trace JSON carries, defaults filled in. */
export interface SpanView {
  traceId: string;
  spanId: string;
  parentSpanId: string;
  traceState: string;
  name: string;
  kind: string;
  startTimeUnixNano: string;
  endTimeUnixNano: string;
  status: { code: string; message: string };
  flags: number;
  attributes: KeyValueJson[];
  events: Array<{ name: string; timeUnixNano: string; attributes: KeyValueJson[] }>;
  links: Array<{ traceId: string; spanId: string; traceState: string; flags: number; attributes: KeyValueJson[] }>;
  resource: KeyValueJson[];
  scope: { name: string; version: string };
}

const KIND_NAMES = ['SPAN_KIND_UNSPECIFIED', 'SPAN_KIND_INTERNAL', 'SPAN_KIND_SERVER', 'SPAN_KIND_CLIENT', 'SPAN_KIND_PRODUCER', 'SPAN_KIND_CONSUMER'];
const STATUS_NAMES = ['STATUS_CODE_UNSET', 'STATUS_CODE_OK', 'STATUS_CODE_ERROR'];

/** A hex id as Tempo's JSON writes it: base64 of the bytes. */
export const b64 = (hex: string): string => Buffer.from(hex, 'hex').toString('base64');
export const hex = (base64: string): string => Buffer.from(base64, 'base64').toString('hex');
export const hrToNanos = (t: HrTime): bigint => BigInt(t[0]) * 1_000_000_000n + BigInt(t[1]);

/** An SDK attribute value in Tempo's JSON (the OTLP transformer's rule: integral numbers are ints). */
export function anyValueJson(v: AttributeValue): AnyValueJson {
  if (Array.isArray(v)) return { arrayValue: { values: (v as AttributeValue[]).map((x) => anyValueJson(x)) } };
  if (typeof v === 'string') return { stringValue: v };
  if (typeof v === 'boolean') return { boolValue: v };
  if (typeof v === 'number') return Number.isInteger(v) ? { intValue: String(v) } : { doubleValue: v };
  throw new Error(`unexpected attribute value ${String(v)}`);
}

export function keyValuesJson(attrs: Attributes | undefined): KeyValueJson[] {
  return Object.entries(attrs ?? {}).map(([key, value]) => ({ key, value: anyValueJson(value as AttributeValue) }));
}

/** OTLP span flags: W3C trace flags plus "has is_remote" and "is_remote" bits. */
const spanFlags = (traceFlags: number, isRemote?: boolean): number => (traceFlags & 0xff) | 0x100 | (isRemote ? 0x200 : 0);

/** What Tempo must answer for a span the SDK recorded. */
export function expectedView(sdk: ReadableSpan): SpanView {
  const ctx = sdk.spanContext();
  return {
    traceId: b64(ctx.traceId),
    spanId: b64(ctx.spanId),
    parentSpanId: sdk.parentSpanContext?.spanId ? b64(sdk.parentSpanContext.spanId) : '',
    traceState: ctx.traceState?.serialize() ?? '',
    name: sdk.name,
    kind: KIND_NAMES[sdk.kind + 1]!,
    startTimeUnixNano: hrToNanos(sdk.startTime).toString(),
    endTimeUnixNano: hrToNanos(sdk.endTime).toString(),
    status: { code: STATUS_NAMES[sdk.status.code]!, message: sdk.status.message ?? '' },
    flags: spanFlags(ctx.traceFlags, sdk.parentSpanContext?.isRemote),
    attributes: keyValuesJson(sdk.attributes),
    events: sdk.events.map((e) => ({ name: e.name, timeUnixNano: hrToNanos(e.time).toString(), attributes: keyValuesJson(e.attributes) })),
    links: sdk.links.map((l) => ({
      traceId: b64(l.context.traceId),
      spanId: b64(l.context.spanId),
      traceState: l.context.traceState?.serialize() ?? '',
      flags: spanFlags(l.context.traceFlags, l.context.isRemote),
      attributes: keyValuesJson(l.attributes),
    })),
    resource: keyValuesJson(sdk.resource.attributes),
    scope: { name: sdk.instrumentationScope.name, version: sdk.instrumentationScope.version ?? '' },
  };
}

/** Every span of a trace answer, as views (resource and scope copied onto each). */
export function spanViews(resourceSpans: ResourceSpansJson[]): SpanView[] {
  const out: SpanView[] = [];
  for (const rs of resourceSpans) {
    for (const ss of rs.scopeSpans ?? []) {
      for (const s of ss.spans ?? []) {
        out.push({
          traceId: s.traceId,
          spanId: s.spanId,
          parentSpanId: s.parentSpanId ?? '',
          traceState: s.traceState ?? '',
          name: s.name,
          kind: s.kind ?? KIND_NAMES[0]!,
          startTimeUnixNano: s.startTimeUnixNano,
          endTimeUnixNano: s.endTimeUnixNano,
          status: { code: s.status?.code ?? STATUS_NAMES[0]!, message: s.status?.message ?? '' },
          flags: s.flags ?? 0,
          attributes: s.attributes ?? [],
          events: (s.events ?? []).map((e) => ({ name: e.name, timeUnixNano: e.timeUnixNano, attributes: e.attributes ?? [] })),
          links: (s.links ?? []).map((l) => ({
            traceId: l.traceId,
            spanId: l.spanId,
            traceState: l.traceState ?? '',
            flags: l.flags ?? 0,
            attributes: l.attributes ?? [],
          })),
          resource: rs.resource?.attributes ?? [],
          scope: { name: ss.scope?.name ?? '', version: ss.scope?.version ?? '' },
        });
      }
    }
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// The query API

/** The four ways to read a trace by id: v1/v2 paths, JSON/protobuf bodies. */
export type TraceRead = 'v1 json' | 'v2 json' | 'v1 protobuf' | 'v2 protobuf';
export const TRACE_READS: readonly TraceRead[] = ['v1 json', 'v2 json', 'v1 protobuf', 'v2 protobuf'];

/** The protobuf → JSON options Tempo's JSON uses: base64 bytes, enum names, int64 as strings. */
const PROTO_AS_JSON: protobuf.IConversionOptions = { longs: String, enums: String, bytes: String, defaults: false, json: true };

/** GET the trace `read`'s way; resolves with its resourceSpans in Tempo's JSON shape. */
export async function readTrace(api: string, traceId: string, read: TraceRead, query = ''): Promise<ResourceSpansJson[]> {
  const v2 = read.startsWith('v2');
  const proto = read.endsWith('protobuf');
  const res = await fetch(`${api}/api/${v2 ? 'v2/' : ''}traces/${traceId}${query}`, {
    headers: { accept: proto ? 'application/protobuf' : 'application/json' },
  });
  assert.equal(res.status, 200, `${read} ${traceId}: ${res.status}`);
  assert.equal(res.headers.get('content-type'), proto ? 'application/protobuf' : 'application/json');
  if (!proto) {
    const body = (await res.json()) as { batches?: ResourceSpansJson[]; trace?: { resourceSpans?: ResourceSpansJson[] } };
    return (v2 ? body.trace?.resourceSpans : body.batches) ?? [];
  }
  // Decoded with the tempopb schema (src/backend/api/proto/tempo.proto), as Grafana's Go client does.
  const bytes = new Uint8Array(await res.arrayBuffer());
  const { trace: traceType, byIdResponse } = tempoTypes();
  const message = v2 ? (byIdResponse.decode(bytes) as unknown as { trace?: protobuf.Message }).trace : traceType.decode(bytes);
  assert.ok(message, `${read}: TraceByIDResponse.trace is set`);
  const obj = traceType.toObject(message, PROTO_AS_JSON) as { resourceSpans?: ResourceSpansJson[] };
  return obj.resourceSpans ?? [];
}

/** Polls `/api/v2/traces/<id>` until the trace has `count` spans; resolves with their views. */
export async function waitForTrace(api: string, traceId: string, count: number, timeoutMs = 15_000): Promise<SpanView[]> {
  let seen = 0;
  return eventually(
    () => `trace ${traceId}: expected ${count} spans, saw ${seen}`,
    async () => {
      const res = await fetch(`${api}/api/v2/traces/${traceId}`);
      if (!res.ok) {
        await res.body?.cancel();
        return undefined;
      }
      const body = (await res.json()) as { trace?: { resourceSpans?: ResourceSpansJson[] } };
      const views = spanViews(body.trace?.resourceSpans ?? []);
      seen = views.length;
      return seen >= count ? views : undefined;
    },
    { timeoutMs },
  );
}

/** One trace of a search answer (the fields Grafana reads). */
export interface SearchTrace {
  traceID: string;
  rootServiceName: string;
  rootTraceName?: string;
  startTimeUnixNano: string;
  durationMs?: number;
  spanSets: Array<{ matched: number; spans: Array<{ spanID: string; name?: string; startTimeUnixNano: string; durationNanos: string; attributes?: KeyValueJson[] }>; attributes?: KeyValueJson[] }>;
  spanSet: SearchTrace['spanSets'][number];
  serviceStats?: Record<string, { spanCount: number; errorCount?: number }>;
}

/** GET /api/search with `params`; asserts a 200 and resolves with the traces. */
export async function search(api: string, params: Record<string, string>): Promise<SearchTrace[]> {
  const res = await fetch(`${api}/api/search?${new URLSearchParams(params)}`);
  const text = await res.text();
  assert.equal(res.status, 200, `search ${JSON.stringify(params)}: ${text}`);
  const body = JSON.parse(text) as { traces: SearchTrace[]; metrics: object };
  assert.ok(Array.isArray(body.traces) && typeof body.metrics === 'object');
  return body.traces;
}

/** GET a JSON path of the query API; asserts a 200. */
export async function getJson<T>(api: string, path: string): Promise<T> {
  const res = await fetch(api + path);
  const text = await res.text();
  assert.equal(res.status, 200, `${path}: ${text}`);
  return JSON.parse(text) as T;
}

/** Tempo's search trace id: hex without leading zeros. */
export const searchId = (traceId: string): string => traceId.replace(/^0+/, '');

/** Runs `zeroscope <args>` (packages/cli/bin/zeroscope.js) to completion. */
export function runCli(args: string[]): Promise<{ code: number | null; output: string }> {
  return runNodeToExit([join(REPO, 'packages/cli/bin/zeroscope.js'), ...args], 30_000);
}
