import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SpanKind, SpanStatusCode, TraceFlags, type Attributes, type Link } from '@opentelemetry/api';
import { TraceState } from '@opentelemetry/core';
import { ProtobufTraceSerializer } from '@opentelemetry/otlp-transformer';
import { defaultResource, resourceFromAttributes } from '@opentelemetry/resources';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import type { ReadableSpan } from '../exporters/types.ts';
import { encodeTraceRequest } from './encode-traces.ts';

/** The official serializer's bytes: the reference every case is held to. */
function reference(spans: ReadableSpan[]): Buffer {
  const bytes = ProtobufTraceSerializer.serializeRequest(spans);
  assert.ok(bytes);
  return Buffer.from(bytes);
}

function assertSameBytes(spans: ReadableSpan[], what: string): void {
  const ours = Buffer.from(encodeTraceRequest(spans));
  const theirs = reference(spans);
  if (!ours.equals(theirs)) {
    let i = 0;
    while (i < ours.length && ours[i] === theirs[i]) i++;
    assert.fail(`${what}: bytes differ at offset ${i} of ${theirs.length} (ours ${ours.length}): ours ${ours.subarray(i, i + 16).toString('hex')} reference ${theirs.subarray(i, i + 16).toString('hex')}`);
  }
}

const long = (n: number) => 'x'.repeat(n);

/** Attribute values of every type OTLP's AnyValue carries, at the edges of each encoding. */
const EVERY_VALUE: Attributes = {
  'str.empty': '',
  'str.ascii': 'GET /api/order/:id',
  'str.utf8': 'grüße 東京 🚀',
  'str.lone-surrogate': 'a\ud800b',
  'str.127': long(127),
  'str.128': long(128),
  'str.16384': long(16384),
  'bool.true': true,
  'bool.false': false,
  'int.zero': 0,
  'int.small': 200,
  'int.u32': 0xffffffff,
  'int.above-u32': 2 ** 32 + 5,
  'int.max-safe': Number.MAX_SAFE_INTEGER,
  'int.2^62': 2 ** 62,
  'int.negative': -1,
  'int.min-safe': Number.MIN_SAFE_INTEGER,
  'int.-2^63': -(2 ** 63),
  'double.2^63': 2 ** 63,
  'double.pi': Math.PI,
  'double.negative': -0.5,
  'double.nan': Number.NaN,
  'double.inf': Number.POSITIVE_INFINITY,
  'double.-inf': Number.NEGATIVE_INFINITY,
  'arr.str': ['a', 'b', long(200)],
  'arr.num': [1, 2.5, -3],
  'arr.bool': [true, false],
  'arr.with-null': ['a', null, undefined, 'b'] as string[],
  'arr.empty': [],
};

/** Values the SDK's sanitising would refuse, encoded anyway when an exporter is handed them. */
const UNSANITISED: Record<string, unknown> = {
  bytes: new Uint8Array([0, 1, 254, 255]),
  'bytes.empty': new Uint8Array(0),
  kvlist: { a: 1, nested: { b: 'two', c: [true] } },
  'null': null,
  'undefined': undefined,
  fn: () => 1,
  big: 10n,
};

function sdkSpans(): ReadableSpan[] {
  const exporter = new InMemorySpanExporter();
  const provider = new BasicTracerProvider({
    resource: defaultResource().merge(resourceFromAttributes({ 'service.name': 'order', 'process.pid': 4242, 'host.name': 'h' })),
    spanProcessors: [new SimpleSpanProcessor(exporter)],
  });
  const tracer = provider.getTracer('zeroscope', '0.1.0');
  const other = provider.getTracer('user-code');
  const schema = provider.getTracer('with-schema', '1.2.3', { schemaUrl: 'https://opentelemetry.io/schemas/1.30.0' });

  const root = tracer.startSpan('GET /api/order/:id', { kind: SpanKind.SERVER, attributes: EVERY_VALUE, startTime: [1_765_000_000, 123_456_789] });
  root.addEvent('message', { 'message.type': 'SENT', 'message.id': 1 }, [1_765_000_000, 200_000_000]);
  root.addEvent('no-attributes');
  root.recordException(new Error('boom ✗'));
  root.setStatus({ code: SpanStatusCode.ERROR, message: 'downstream failed' });
  root.end([1_765_000_001, 999_999_999]);

  const remoteParent = { traceId: '0af7651916cd43dd8448eb211c80319c', spanId: 'b7ad6b7169203331', traceFlags: TraceFlags.SAMPLED, isRemote: true, traceState: new TraceState('vendor=a,other=b') };
  const link: Link = { context: remoteParent, attributes: { 'link.kind': 'follows', n: 3 } };
  const linkLocal: Link = { context: { traceId: 'ABCDEF0123456789abcdef0123456789', spanId: '00f067aa0ba902b7', traceFlags: TraceFlags.NONE } };
  for (const kind of [SpanKind.INTERNAL, SpanKind.SERVER, SpanKind.CLIENT, SpanKind.PRODUCER, SpanKind.CONSUMER]) {
    const span = other.startSpan(`kind-${kind}`, { kind, links: [link, linkLocal] }, undefined);
    span.setStatus({ code: SpanStatusCode.OK });
    span.end();
  }
  const child = schema.startSpan('child', {});
  child.setAttribute('only', 'one');
  child.end();
  return exporter.getFinishedSpans();
}

/** A span as an exporter might receive it from elsewhere: any field the type allows. */
function handMade(overrides: Partial<ReadableSpan> & { name: string }): ReadableSpan {
  const base = sdkSpans()[0];
  assert.ok(base);
  const ctx = { traceId: '5b8efff798038103d269b633813fc60c', spanId: 'eee19b7ec3c1b174', traceFlags: TraceFlags.SAMPLED, traceState: new TraceState('k=v') };
  return {
    spanContext: () => ctx,
    kind: SpanKind.CLIENT,
    parentSpanContext: { traceId: ctx.traceId, spanId: 'eee19b7ec3c1b173', traceFlags: TraceFlags.SAMPLED, isRemote: false },
    startTime: [1_700_000_000, 1],
    endTime: [1_700_000_000, 2],
    status: { code: SpanStatusCode.UNSET },
    attributes: {},
    links: [],
    events: [],
    duration: [0, 1],
    ended: true,
    resource: base.resource,
    instrumentationScope: { name: 'hand' },
    droppedAttributesCount: 0,
    droppedEventsCount: 0,
    droppedLinksCount: 0,
    ...overrides,
  };
}

describe('encodeTraceRequest is byte for byte the official ProtobufTraceSerializer', () => {
  it('SDK spans: every attribute type, events, exception, links, trace state, status, kinds, scopes', () => {
    const spans = sdkSpans();
    assertSameBytes(spans, 'all spans');
    for (const [i, span] of spans.entries()) assertSameBytes([span], `span ${i} (${span.name})`);
  });

  it('the same resource and scope encoded twice (cached bytes) and a batch of 512', () => {
    const spans = sdkSpans();
    assertSameBytes([...spans, ...spans], 'twice');
    const batch = Array.from({ length: 512 }, (_, i) => spans[i % spans.length] as ReadableSpan);
    assertSameBytes(batch, '512 spans');
  });

  it('values the SDK would sanitise away, dropped counts, remote parents, odd times and ids', () => {
    const scopeWithAttributes = { name: 'scoped', version: '', schemaUrl: '', attributes: { 'scope.attr': 'x' }, droppedAttributesCount: 2 } as ReadableSpan['instrumentationScope'];
    const cases: ReadableSpan[] = [
      handMade({ name: 'unsanitised', attributes: UNSANITISED as Attributes }),
      handMade({ name: 'dropped', droppedAttributesCount: 300, droppedEventsCount: 7, droppedLinksCount: 1 }),
      handMade({ name: 'no kind', kind: undefined as unknown as SpanKind }),
      handMade({ name: '', status: { code: SpanStatusCode.ERROR, message: '' } }),
      handMade({ name: 'remote parent', parentSpanContext: { traceId: '5b8efff798038103d269b633813fc60c', spanId: 'aaaaaaaaaaaaaaaa', traceFlags: 1, isRemote: true } }),
      handMade({ name: 'no parent', parentSpanContext: undefined }),
      handMade({ name: 'epoch 0', startTime: [0, 0], endTime: [0, 999_999_999] }),
      handMade({ name: 'far future', startTime: [4_000_000_000, 999_999_999], endTime: [4_294_967_295, 5] }),
      handMade({ name: 'scope attrs', instrumentationScope: scopeWithAttributes }),
      handMade({
        name: 'event and link attributes',
        events: [{ name: 'e', time: [1, 2], attributes: EVERY_VALUE, droppedAttributesCount: 4 }],
        links: [{ context: { traceId: 'zz' + '0'.repeat(30), spanId: '0123456789ABCDEF', traceFlags: 0xff }, attributes: UNSANITISED as Attributes, droppedAttributesCount: 9 }],
      }),
      handMade({ name: 'big span', attributes: Object.fromEntries(Array.from({ length: 200 }, (_, i) => [`k${i}`, long(i * 3)])) }),
    ];
    for (const span of cases) assertSameBytes([span], span.name || '(empty name)');
    assertSameBytes(cases, 'all hand-made');
  });

  it('several resources, each with its scopes, in first-seen order; resource schema URLs', () => {
    const spans = sdkSpans();
    const other = resourceFromAttributes({ 'service.name': 'user', list: ['a', 'b'] }, { schemaUrl: 'https://example.com/schema' });
    const mixed = spans.flatMap((s, i) => [s, { ...handMade({ name: `r2-${i}` }), resource: other }]);
    assertSameBytes(mixed, 'two resources interleaved');
  });

  it('no spans: an empty request', () => {
    assert.equal(encodeTraceRequest([]).length, 0);
    assertSameBytes([], 'empty');
  });
});
