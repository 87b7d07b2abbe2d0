/**
 * Hostile payloads for every receiver and query endpoint, generated from a seed: random bytes,
 * mutated and truncated valid protobuf, absurd ids and timestamps, deep and huge JSON, gzip bombs,
 * 1 MB attribute values, 100k attributes, random TraceQL and garbage query parameters.
 */
import { gzipSync } from 'node:zlib';
import { otlpTypes } from '../../../packages/cli/src/backend/otlp/index.ts';
import { protobufBody, type Batch } from './traces.ts';
import type { Rng } from '../../lib/random.ts';

/** Where a payload goes. */
export type FuzzTarget = 'otlp-http-proto' | 'otlp-http-json' | 'otlp-http-logs' | 'otlp-grpc' | 'zipkin' | 'query';

/** One generated request. */
export type FuzzPayload =
  | { target: Exclude<FuzzTarget, 'query' | 'otlp-grpc'>; kind: string; body: Buffer | string; headers: Record<string, string> }
  | { target: 'otlp-grpc'; kind: string; body: Buffer }
  | { target: 'query'; kind: string; method: string; path: string };

const ID_LENGTHS = [0, 1, 7, 8, 9, 15, 16, 17, 32, 100];
const U64_MAX = 18446744073709551615n;

// Big payloads are built once: they are expensive to make and their size is the point.
let cache: { bomb: Buffer; deepJson: string; hugeJson: string; megaAttr: Buffer; manyAttrs: Buffer; oversize: Buffer } | undefined;
function big() {
  if (cache) return cache;
  const span = (attributes: unknown[]) => ({ traceId: Buffer.alloc(16, 0xab), spanId: Buffer.alloc(8, 0xcd), name: 'big', startTimeUnixNano: '1', endTimeUnixNano: '2', attributes });
  const encode = (spans: unknown[]) =>
    Buffer.from(otlpTypes.ExportTraceServiceRequest.encode(otlpTypes.ExportTraceServiceRequest.fromObject({ resourceSpans: [{ scopeSpans: [{ spans }] }] })).finish());
  const depth = 100_000;
  cache = {
    // 64 MiB of zeros in ~64 KiB: inflates past the 20 MiB body limit.
    bomb: gzipSync(Buffer.alloc(64 * 1024 * 1024)),
    deepJson: `{"resourceSpans":${'['.repeat(depth)}${']'.repeat(depth)}}`,
    hugeJson: JSON.stringify({ resourceSpans: [{ scopeSpans: [{ spans: Array.from({ length: 40_000 }, (_, i) => ({ traceId: 'zz', spanId: i, name: 'x'.repeat(200) })) }] }] }),
    megaAttr: encode([span([{ key: 'mega', value: { stringValue: 'm'.repeat(1024 * 1024) } }])]),
    manyAttrs: encode([span(Array.from({ length: 100_000 }, (_, i) => ({ key: `k${i % 1000}`, value: { intValue: i } })))]),
    oversize: Buffer.alloc(21 * 1024 * 1024, 0x0a),
  };
  return cache;
}

/** A valid encoding to mutate: a small batch, sometimes with every attribute type. */
function seedProtobuf(rng: Rng): Buffer {
  const batch: Batch = { traceId: rng.bytes(16).toString('hex'), spans: 1 + rng.int(4), service: 'fuzz' };
  return protobufBody(batch);
}

function mutate(rng: Rng, input: Buffer): Buffer {
  let b = Buffer.from(input);
  for (let m = 1 + rng.int(8); m > 0; m--) {
    const at = rng.int(Math.max(1, b.length));
    switch (rng.int(5)) {
      case 0: b[at] = rng.int(256); break;
      case 1: b = Buffer.concat([b.subarray(0, at), rng.bytes(1 + rng.int(8)), b.subarray(at)]); break;
      case 2: b = Buffer.concat([b.subarray(0, at), b.subarray(at + 1 + rng.int(16))]); break;
      case 3: b = Buffer.concat([b.subarray(0, at), b.subarray(at, at + 32), b.subarray(at)]); break;
      default: b = Buffer.concat([b.subarray(0, at), Buffer.from([0xff, 0xff, 0xff, 0xff, 0xff, 0x7f]), b.subarray(at)]);
    }
  }
  return b;
}

function absurdLong(rng: Rng): string {
  return rng.pick(['0', '1', String(U64_MAX), String(1n << 63n), String(Date.now() * 1e6), '999999999999999999', String(rng.int(1e9))]);
}

/** A well-formed encoding of a nonsensical span: wrong id lengths, absurd times, odd attributes. */
function absurdSpanObject(rng: Rng): Record<string, unknown> {
  const anyValue = (depth: number): Record<string, unknown> => {
    switch (rng.int(depth > 40 ? 6 : 8)) {
      case 0: return { stringValue: rng.pick(['', '\u0000', '\ud800', 'x'.repeat(rng.int(5000)), '{ } ||']) };
      case 1: return { intValue: rng.pick(['-1', '9223372036854775807', '-9223372036854775808', '0']) };
      case 2: return { doubleValue: rng.pick([NaN, Infinity, -0, 1e308, 5e-324]) };
      case 3: return { boolValue: rng.chance(0.5) };
      case 4: return { bytesValue: rng.bytes(rng.int(64)) };
      case 5: return {};
      case 6: return { arrayValue: { values: Array.from({ length: rng.int(4) }, () => anyValue(depth + 1)) } };
      default: return { kvlistValue: { values: [{ key: '', value: anyValue(depth + 10) }] } };
    }
  };
  const start = absurdLong(rng);
  return {
    traceId: rng.chance(0.2) ? Buffer.alloc(16) : rng.bytes(rng.pick(ID_LENGTHS)),
    spanId: rng.chance(0.2) ? Buffer.alloc(8) : rng.bytes(rng.pick([0, 7, 8, 9])),
    ...(rng.chance(0.5) ? { parentSpanId: rng.bytes(rng.pick([0, 8, 3])) } : {}),
    name: rng.pick(['', 'ok', 'n'.repeat(100_000), '\u0000\u0001', '😀'.repeat(50)]),
    kind: rng.pick([0, 1, 5, 6, 99, -1]),
    startTimeUnixNano: start,
    endTimeUnixNano: rng.chance(0.5) ? absurdLong(rng) : start,
    attributes: Array.from({ length: rng.int(6) }, () => ({ key: rng.pick(['', 'service.name', 'a'.repeat(3000), 'k']), value: anyValue(0) })),
    status: { code: rng.pick([0, 1, 2, 3, 17]), message: 'm' },
    droppedAttributesCount: rng.int(2 ** 31),
    events: rng.chance(0.3) ? [{ timeUnixNano: absurdLong(rng), name: 'e', attributes: [] }] : [],
    links: rng.chance(0.3) ? [{ traceId: rng.bytes(rng.pick(ID_LENGTHS)), spanId: rng.bytes(3) }] : [],
  };
}

function absurdProtobuf(rng: Rng): Buffer {
  const type = otlpTypes.ExportTraceServiceRequest;
  const spans = Array.from({ length: 1 + rng.int(3) }, () => absurdSpanObject(rng));
  return Buffer.from(type.encode(type.fromObject({ resourceSpans: [{ resource: { attributes: [{ key: 'service.name', value: { stringValue: rng.pick(['', 'fuzz', '\u0000']) } }] }, scopeSpans: [{ spans }] }] })).finish());
}

function randomJsonValue(rng: Rng, depth = 0): unknown {
  switch (rng.int(depth > 4 ? 5 : 8)) {
    case 0: return null;
    case 1: return rng.pick([0, -1, 1e308, 1.5, 2 ** 64]);
    case 2: return rng.pick(['', 'zz', '0'.repeat(32), 'ff'.repeat(17), '-1', 'NaN', '18446744073709551616', 'abc']);
    case 3: return rng.chance(0.5);
    case 4: return [];
    case 5: return Array.from({ length: rng.int(4) }, () => randomJsonValue(rng, depth + 1));
    default: {
      const keys = ['resourceSpans', 'scopeSpans', 'spans', 'traceId', 'spanId', 'parentSpanId', 'name', 'kind', 'startTimeUnixNano',
        'endTimeUnixNano', 'attributes', 'key', 'value', 'stringValue', 'intValue', 'arrayValue', 'kvlistValue', 'values', 'status',
        'code', 'resource', 'id', 'parentId', 'timestamp', 'duration', 'tags', 'localEndpoint', 'serviceName', 'annotations', '__proto__', 'constructor'];
      return Object.fromEntries(Array.from({ length: 1 + rng.int(5) }, () => [rng.pick(keys), randomJsonValue(rng, depth + 1)]));
    }
  }
}

/** OTLP/JSON with the right skeleton and absurd leaves. */
function absurdOtlpJson(rng: Rng): string {
  const span = () => ({
    traceId: rng.pick(['', 'zz', '0'.repeat(32), 'ab'.repeat(8), 'ab'.repeat(17), 'AB'.repeat(16), rng.bytes(16).toString('base64')]),
    spanId: rng.pick(['', '0'.repeat(16), 'cd'.repeat(8), 'x', 'cd'.repeat(9)]),
    name: rng.pick(['', 'op', 1, null]),
    kind: rng.pick([1, 'SPAN_KIND_SERVER', 'WEIRD', 99, null]),
    startTimeUnixNano: rng.pick(['0', '-5', 'abc', '18446744073709551616', 1e30, String(Date.now() * 1e6), 1.5]),
    endTimeUnixNano: rng.pick(['1', String(U64_MAX), '', 0]),
    attributes: rng.chance(0.5) ? [{ key: 'a', value: randomJsonValue(rng) }] : randomJsonValue(rng),
  });
  return JSON.stringify({ resourceSpans: [{ resource: { attributes: [] }, scopeSpans: [{ spans: [span(), span()] }] }] });
}

function absurdZipkin(rng: Rng): string {
  const span = () => ({
    traceId: rng.pick(['', '1', 'a'.repeat(15), 'a'.repeat(16), 'a'.repeat(17), 'b'.repeat(32), 'b'.repeat(33), 'zz'.repeat(8), 5]),
    id: rng.pick(['c'.repeat(16), '', 'c'.repeat(17), 'xyz', null]),
    ...(rng.chance(0.3) ? { parentId: rng.pick(['d'.repeat(16), '', 7]) } : {}),
    name: rng.pick(['op', '', 3, 'n'.repeat(10_000)]),
    kind: rng.pick(['SERVER', 'CLIENT', 'WEIRD', 0]),
    timestamp: rng.pick([0, -1, 1e20, 1.5, '123', Date.now() * 1000, Number.MAX_SAFE_INTEGER]),
    duration: rng.pick([0, -1, 1e20, 'x', 5]),
    localEndpoint: rng.pick([{ serviceName: 'svc' }, { serviceName: 5 }, 'x', null, { ipv4: '1.2.3.4', port: 99999 }]),
    tags: rng.pick([{ a: 'b' }, { a: 5 }, [], 'x', { '': '' }]),
    annotations: rng.pick([[], [{ timestamp: 'x', value: 1 }], 'x']),
    debug: rng.pick([true, 'yes']),
  });
  return JSON.stringify(rng.chance(0.8) ? Array.from({ length: 1 + rng.int(3) }, span) : randomJsonValue(rng));
}

const TRACEQL_TOKENS = ['{', '}', '{ }', '.', 'span.', 'resource.', '.http.method', 'name', 'status', 'kind', 'duration', '=', '!=', '=~', '!~',
  '>', '<=', '&&', '||', '>>', '<<', '~', '|', '!', '(', ')', '"', '"(a+)+$"', '"(.*)*x"', '"[', '"\\"', 'count()', 'avg(duration)', 'max(.x)',
  'by(.x)', 'select(.a)', 'coalesce()', '1e308', '-', '999999999999999999999', '1ns', '10000000h', 'true', 'nil', 'error', 'server', ' ',
  '\u0000', '😀', 'rootServiceName', 'traceDuration', 'parent.', 'event.', 'link.', 'instrumentation.', 'span:id', '...', '#', '@',
  'rate()', 'count_over_time()', 'quantile_over_time(duration, .5, 2)', 'histogram_over_time(.x)', 'compare({ .a }, 1, 0, 5)', 'topk(1)',
  'bottomk(0)', 'by (.x, name)', '.5', '= nil', 'childCount', 'span:nestedSetLeft'];

function traceqlIsh(rng: Rng): string {
  return Array.from({ length: 1 + rng.int(30) }, () => rng.pick(TRACEQL_TOKENS)).join(rng.chance(0.5) ? ' ' : '');
}

function garbageSegment(rng: Rng): string {
  return rng.pick([
    () => encodeURIComponent(rng.bytes(1 + rng.int(40)).toString('latin1')),
    () => 'f'.repeat(rng.pick([1, 31, 32, 33, 64, 5000])),
    () => '..%2F..%2Fetc%2Fpasswd',
    () => '%zz%00%',
    () => encodeURIComponent(traceqlIsh(rng)),
    () => rng.bytes(16).toString('hex').toUpperCase(),
  ])();
}

function queryPayload(rng: Rng): FuzzPayload {
  const q = () => encodeURIComponent(traceqlIsh(rng));
  const weird = () => rng.pick(['', '-1', '0', 'abc', '1e10', '99999999999', '1h', '-5m', '%zz', '1.5', '18446744073709551616', encodeURIComponent(traceqlIsh(rng))]);
  const params = () =>
    Array.from({ length: rng.int(5) }, () => `${rng.pick(['q', 'tags', 'limit', 'start', 'end', 'minDuration', 'maxDuration', 'spss', 'scope', 'x'])}=${rng.chance(0.4) ? q() : weird()}`).join('&');
  const metricsParams = () =>
    Array.from({ length: rng.int(5) }, () => `${rng.pick(['step', 'since', 'start', 'end', 'exemplars', 'maxSeries', 'instant', 'query'])}=${weird()}`).join('&');
  const [kind, path] = rng.pick<[string, () => string]>([
    ['trace-by-id', () => `/api/traces/${garbageSegment(rng)}?${params()}`],
    ['trace-by-id-v2', () => `/api/v2/traces/${garbageSegment(rng)}`],
    ['search-traceql', () => `/api/search?q=${q()}&${params()}`],
    ['search-params', () => `/api/search?${params()}`],
    ['metrics-range', () => `/api/metrics/query_range?q=${q()}&${metricsParams()}`],
    ['metrics-instant', () => `/api/metrics/query?q=${encodeURIComponent(`{ } | ${traceqlIsh(rng)}`)}&${metricsParams()}`],
    ['search-tags', () => `/api/${rng.pick(['', 'v2/'])}search/tags?${params()}`],
    ['tag-values', () => `/api/search/tag/${garbageSegment(rng)}/values?${params()}`],
    ['tag-values-v2', () => `/api/v2/search/tag/${garbageSegment(rng)}/values?q=${q()}`],
    ['unknown-route', () => `/api/${garbageSegment(rng)}/${garbageSegment(rng)}`],
    ['ui-path', () => `/${garbageSegment(rng)}${rng.chance(0.5) ? '.js' : ''}`],
    ['long-url', () => `/api/search?q=${'a'.repeat(rng.pick([8_000, 70_000]))}`],
  ])!;
  return { target: 'query', kind, method: rng.chance(0.05) ? rng.pick(['POST', 'DELETE', 'PUT', 'OPTIONS']) : 'GET', path: path() };
}

const PROTO = { 'content-type': 'application/x-protobuf' };
const JSON_TYPE = { 'content-type': 'application/json' };

/** The `index`-th payload of a run (independent of the others, so runs can go in parallel). */
export function generatePayload(rng: Rng, index: number): FuzzPayload {
  // Rare big ones at fixed strides, so a run of 10,000 has each a few times.
  const b = (): ReturnType<typeof big> => big();
  if (index % 1000 === 11) return { target: rng.pick(['otlp-http-proto', 'otlp-http-json', 'zipkin'] as const), kind: 'gzip-bomb', body: b().bomb, headers: { ...(rng.chance(0.5) ? PROTO : JSON_TYPE), 'content-encoding': 'gzip' } };
  if (index % 1000 === 13) return { target: 'otlp-http-json', kind: 'deep-json', body: b().deepJson, headers: JSON_TYPE };
  if (index % 2500 === 17) return { target: rng.pick(['otlp-http-json', 'zipkin'] as const), kind: 'huge-json', body: b().hugeJson, headers: JSON_TYPE };
  if (index % 500 === 19) return rng.chance(0.5) ? { target: 'otlp-grpc', kind: 'attr-1mb', body: b().megaAttr } : { target: 'otlp-http-proto', kind: 'attr-1mb', body: b().megaAttr, headers: PROTO };
  if (index % 2000 === 23) return rng.chance(0.5) ? { target: 'otlp-grpc', kind: 'attrs-100k', body: b().manyAttrs } : { target: 'otlp-http-proto', kind: 'attrs-100k', body: b().manyAttrs, headers: PROTO };
  if (index % 5000 === 29) return rng.chance(0.5) ? { target: 'otlp-grpc', kind: 'oversize', body: b().oversize } : { target: 'otlp-http-proto', kind: 'oversize', body: b().oversize, headers: PROTO };

  const roll = rng.int(100);
  if (roll < 25) return queryPayload(rng);
  if (roll < 30) {
    // /v1/logs: the trace payloads are as hostile to the logs decoder, plus random JSON.
    const [kind, body, headers] = rng.pick<[string, () => Buffer | string, Record<string, string>]>([
      ['random-bytes', () => rng.bytes(rng.int(512)), PROTO],
      ['mutated-protobuf', () => mutate(rng, absurdProtobuf(rng)), PROTO],
      ['random-json', () => JSON.stringify({ resourceLogs: [randomJsonValue(rng)] }), JSON_TYPE],
      ['broken-json', () => absurdOtlpJson(rng).replace(/resourceSpans/g, 'resourceLogs').slice(0, rng.int(150)), JSON_TYPE],
    ])!;
    return { target: 'otlp-http-logs', kind, body: body(), headers };
  }
  if (roll < 50) {
    const [kind, body] = rng.pick<[string, () => Buffer]>([
      ['random-bytes', () => rng.bytes(rng.int(512))],
      ['mutated-protobuf', () => mutate(rng, seedProtobuf(rng))],
      ['mutated-protobuf', () => mutate(rng, absurdProtobuf(rng))],
      ['truncated-protobuf', () => seedProtobuf(rng).subarray(0, rng.int(200))],
      ['absurd-ids-timestamps', () => absurdProtobuf(rng)],
    ])!;
    const bytes = body();
    if (rng.chance(0.4)) return { target: 'otlp-grpc', kind, body: bytes };
    const headers: Record<string, string> = { ...PROTO };
    if (rng.chance(0.1)) headers['content-encoding'] = rng.pick(['gzip', 'deflate', 'br', 'x-zz']); // bytes that are not that encoding
    if (rng.chance(0.05)) headers['content-type'] = rng.pick(['text/plain', '', 'application/x-protobuf; charset=utf-8', 'application/json']);
    return { target: 'otlp-http-proto', kind, body: bytes, headers };
  }
  if (roll < 75) {
    const [kind, body] = rng.pick<[string, () => string]>([
      ['absurd-json', () => absurdOtlpJson(rng)],
      ['random-json', () => JSON.stringify(randomJsonValue(rng))],
      ['broken-json', () => absurdOtlpJson(rng).slice(0, rng.int(120))],
      ['random-text', () => rng.bytes(rng.int(300)).toString('latin1')],
    ])!;
    const text = body();
    if (rng.chance(0.15)) return { target: 'otlp-http-json', kind: `${kind}-gzip`, body: gzipSync(text), headers: { ...JSON_TYPE, 'content-encoding': 'gzip' } };
    return { target: 'otlp-http-json', kind, body: text, headers: JSON_TYPE };
  }
  const [kind, body] = rng.pick<[string, () => string]>([
    ['absurd-zipkin', () => absurdZipkin(rng)],
    ['random-json', () => JSON.stringify(randomJsonValue(rng))],
    ['broken-json', () => absurdZipkin(rng).slice(0, rng.int(100))],
  ])!;
  return { target: 'zipkin', kind, body: body(), headers: JSON_TYPE };
}
