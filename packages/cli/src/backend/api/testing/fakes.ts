/**
 * In-memory stand-ins for the API's dependencies, for the API's unit tests: a store holding
 * QuerySpans (encoded to OTLP on read) and a tiny search engine that understands `{}` and
 * `{ name = "x" }` only.
 */
import type { AttrValue, FetchRequest, QuerySpan, QueryTrace } from '../../query/storage.ts';
import { tempoTypes } from '../trace-codec.ts';
import type { ApiTagCatalog, QueryApiDeps, SearchEngine, SearchRequest, TimeRange, TraceReader } from '../types.ts';

/** A span with defaults for everything a test does not care about. */
export function fakeSpan(overrides: Partial<QuerySpan> & { traceId: string; spanId: string }): QuerySpan {
  return {
    parentSpanId: '',
    name: 'op',
    kind: 2,
    startTimeUnixNano: 1_700_000_000_000_000_000n,
    endTimeUnixNano: 1_700_000_000_250_000_000n,
    durationNanos: 250_000_000,
    statusCode: 0,
    statusMessage: '',
    attributes: {},
    resource: { 'service.name': 'svc' },
    scopeName: 'test',
    scopeVersion: '1',
    events: [],
    links: [],
    ...overrides,
    serviceName: overrides.serviceName ?? String(overrides.resource?.['service.name'] ?? 'svc'),
  };
}

function toAnyValue(value: AttrValue): Record<string, unknown> {
  if (typeof value === 'string') return { stringValue: value };
  if (typeof value === 'boolean') return { boolValue: value };
  if (typeof value === 'bigint') return { intValue: value.toString() };
  if (typeof value === 'number') return Number.isInteger(value) ? { intValue: value } : { doubleValue: value };
  return { stringValue: JSON.stringify(value) };
}

function toKeyValues(attrs: Record<string, AttrValue>) {
  return Object.entries(attrs).map(([key, value]) => ({ key, value: toAnyValue(value) }));
}

/** Encodes spans as OTLP TracesData, one ResourceSpans per span (good enough for tests). */
export function encodeSpans(spans: QuerySpan[]): Uint8Array {
  const { trace } = tempoTypes();
  return trace
    .encode(
      trace.fromObject({
        resourceSpans: spans.map((s) => ({
          resource: { attributes: toKeyValues(s.resource) },
          scopeSpans: [
            {
              scope: { name: s.scopeName, version: s.scopeVersion },
              spans: [
                {
                  traceId: Buffer.from(s.traceId, 'hex'),
                  spanId: Buffer.from(s.spanId, 'hex'),
                  parentSpanId: s.parentSpanId ? Buffer.from(s.parentSpanId, 'hex') : undefined,
                  name: s.name,
                  kind: s.kind,
                  startTimeUnixNano: s.startTimeUnixNano.toString(),
                  endTimeUnixNano: s.endTimeUnixNano.toString(),
                  attributes: toKeyValues(s.attributes),
                  status: { code: s.statusCode, message: s.statusMessage },
                },
              ],
            },
          ],
        })),
      }),
    )
    .finish();
}

/** Thrown by the fake engine for queries it cannot parse. */
export class FakeQueryError extends Error {}

/** The fake store: traces in memory, newest first. */
export class FakeStore implements TraceReader, ApiTagCatalog {
  readonly traces: QueryTrace[] = [];
  readonly getTraceCalls: Array<{ traceId: string; range?: TimeRange }> = [];

  add(spans: QuerySpan[]): void {
    this.traces.unshift({ traceId: spans[0]!.traceId, spans });
  }

  async getTrace(traceIdHex: string, range?: TimeRange): Promise<Uint8Array | null> {
    this.getTraceCalls.push(range ? { traceId: traceIdHex, range } : { traceId: traceIdHex });
    const trace = this.traces.find((t) => t.traceId === traceIdHex);
    return trace ? encodeSpans(trace.spans) : null;
  }

  async *fetchTraces(_request: FetchRequest): AsyncIterable<QueryTrace> {
    yield* this.traces;
  }

  async tagNames(scope: 'resource' | 'span'): Promise<string[]> {
    const keys = new Set<string>();
    for (const t of this.traces) for (const s of t.spans) Object.keys(scope === 'span' ? s.attributes : s.resource).forEach((k) => keys.add(k));
    return [...keys].sort();
  }

  /** The fake's catalog is built from its traces on every call: never partial. */
  tagCatalogPartial(): boolean {
    return false;
  }

  async tagValues(scope: 'resource' | 'span', key: string, options?: { limit?: number }): Promise<AttrValue[]> {
    const values: AttrValue[] = [];
    for (const t of this.traces) {
      for (const s of t.spans) {
        const v = (scope === 'span' ? s.attributes : s.resource)[key];
        if (v !== undefined && !values.includes(v)) values.push(v);
      }
    }
    return values.slice(0, options?.limit ?? values.length);
  }
}

/** The fake engine: `{}` matches every span, `{ name = "x" }` spans named x; records requests. */
export function fakeEngine(): SearchEngine & { requests: SearchRequest[] } {
  const requests: SearchRequest[] = [];
  return {
    requests,
    async search(fetcher, request) {
      requests.push(request);
      const q = (request.query ?? '{}').replace(/\s+/g, '');
      let match: (s: QuerySpan) => boolean;
      if (q === '{}') match = () => true;
      else {
        const m = /^\{name="([^"]*)"\}$/.exec(q);
        if (!m) throw new FakeQueryError(`invalid TraceQL query: parse error at line 1, col 1: ${request.query}`);
        match = (s) => s.name === m[1];
      }
      const traces = [];
      for await (const t of fetcher.fetchTraces({})) {
        const spans = t.spans.filter(match);
        if (spans.length === 0) continue;
        traces.push({
          traceID: t.traceId.replace(/^0+/, ''),
          spanSets: [{ spans: spans.slice(0, request.spss).map((s) => ({ spanID: s.spanId })), matched: spans.length }],
        });
        if (traces.length >= request.limit) break;
      }
      return { traces, metrics: { inspectedTraces: traces.length } };
    },
    tagsToQuery(tags) {
      const m = /^name=(\S+)$/.exec(tags);
      if (!m) throw new Error(`unexpected tags ${tags}`);
      return `{ name = "${m[1]}" }`;
    },
    isQueryError: (err) => err instanceof FakeQueryError,
  };
}

/** A store and engine wired as API deps. */
export function fakeDeps(): QueryApiDeps & { store: FakeStore; engine: ReturnType<typeof fakeEngine> } {
  const store = new FakeStore();
  const engine = fakeEngine();
  return { store, engine, traces: store, fetcher: store, catalog: store };
}
