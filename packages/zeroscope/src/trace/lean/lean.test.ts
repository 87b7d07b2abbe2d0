import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { context, ROOT_CONTEXT, SpanKind, SpanStatusCode, trace, TraceFlags, type Attributes, type HrTime, type Span, type Tracer } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { suppressTracing, TraceState } from '@opentelemetry/core';
import { resourceFromAttributes } from '@opentelemetry/resources';
import {
  AlwaysOffSampler,
  AlwaysOnSampler,
  BasicTracerProvider,
  ParentBasedSampler,
  TraceIdRatioBasedSampler,
  type ReadableSpan as SdkReadableSpan,
  type Sampler,
  type SpanLimits,
  type SpanProcessor,
} from '@opentelemetry/sdk-trace-base';
import { preciseNow } from '../clock.ts';
import type { ReadableSpan } from '../exporters/types.ts';
import { encodeTraceRequest } from '../otlp/encode-traces.ts';
import { SDK_SPAN_LIMITS, type ResolvedSpanLimits } from './span.ts';
import { LeanTracer } from './tracer.ts';

/** Ids from a counter: the SDK and the lean tracer, each given a fresh one, draw the same ids. */
function seededIds() {
  let n = 0;
  const hex = (digits: number) => (++n).toString(16).padStart(digits, '0');
  return { generateTraceId: () => hex(32), generateSpanId: () => hex(16) };
}

const FULL_LIMITS = SDK_SPAN_LIMITS;
const TIGHT_LIMITS: ResolvedSpanLimits = {
  attributeValueLengthLimit: 6,
  attributeCountLimit: 4,
  linkCountLimit: 1,
  eventCountLimit: 2,
  attributePerEventCountLimit: 1,
  attributePerLinkCountLimit: 1,
};

const resource = resourceFromAttributes({ 'service.name': 'lean-test' });

/** Both tracers over the same sampler, limits and seeded ids, each collecting what it ends. */
function pair(sampler: Sampler, limits: ResolvedSpanLimits) {
  const sdkEnded: SdkReadableSpan[] = [];
  const processor: SpanProcessor = { onStart() {}, onEnd: (s) => void sdkEnded.push(s), forceFlush: async () => {}, shutdown: async () => {} };
  const provider = new BasicTracerProvider({ resource, sampler, idGenerator: seededIds(), spanLimits: limits as SpanLimits, spanProcessors: [processor] });
  const leanEnded: ReadableSpan[] = [];
  const lean = new LeanTracer({
    resource,
    scope: { name: 'scope', version: '1.0.0' },
    sampler,
    idGenerator: seededIds(),
    limits,
    sink: { onStart() {}, onEnd: (s) => void leanEnded.push(s) },
  });
  return { sdk: provider.getTracer('scope', '1.0.0'), lean, sdkEnded, leanEnded };
}

/** Everything an exporter reads from a finished span, in plain values. */
function exported(span: ReadableSpan) {
  const ctx = span.spanContext();
  return {
    name: span.name,
    kind: span.kind,
    ids: [ctx.traceId, ctx.spanId, ctx.traceFlags, ctx.traceState?.serialize()],
    parent: span.parentSpanContext && [span.parentSpanContext.traceId, span.parentSpanContext.spanId, span.parentSpanContext.isRemote],
    times: [span.startTime, span.endTime, span.duration],
    status: span.status,
    attributes: span.attributes,
    events: span.events,
    links: span.links.map((l) => ({ ...l, context: [l.context.traceId, l.context.spanId] })),
    dropped: [span.droppedAttributesCount, span.droppedEventsCount, span.droppedLinksCount],
    ended: span.ended,
    scope: [span.instrumentationScope.name, span.instrumentationScope.version],
  };
}

function assertSameExport(sdkEnded: SdkReadableSpan[], leanEnded: ReadableSpan[]): void {
  assert.equal(leanEnded.length, sdkEnded.length, 'as many spans ended');
  assert.deepEqual(leanEnded.map(exported), sdkEnded.map(exported));
  assert.ok(Buffer.from(encodeTraceRequest(leanEnded)).equals(Buffer.from(encodeTraceRequest(sdkEnded))), 'the same OTLP bytes');
}

const BOOM = Object.assign(new Error('boom'), { code: 'E_BOOM' });
const t = (s: number, ns = 0): HrTime => [1_765_000_000 + s, ns];

/** One workload, run against either tracer: every Span operation, misuse included, with given times. */
function workload(tracer: Tracer, remote: ReturnType<typeof trace.setSpanContext>): Array<Span> {
  const attrs: Attributes = {
    str: 'a long string value',
    int: 7,
    dbl: 1.5,
    bool: true,
    arr: ['abcdefgh', 'ij'],
    nums: [1, 2],
    nul: null as unknown as string,
    obj: { nested: 1 } as unknown as string,
    mixed: [1, 'a'] as unknown as string[],
    '': 'empty key',
    extra1: 'x',
    extra2: 'y',
  };
  const root = tracer.startSpan('root', { kind: SpanKind.SERVER, attributes: attrs, startTime: t(0), links: [
    { context: { traceId: 'a'.repeat(32), spanId: 'b'.repeat(16), traceFlags: 1 }, attributes: { l0: null as unknown as string, l1: 'one', l2: 'two', '': 'bad key' } },
    { context: { traceId: 'c'.repeat(32), spanId: 'd'.repeat(16), traceFlags: 0, isRemote: true } },
  ] });
  root.setAttribute('str', 'overwritten value');
  root.setAttribute('late', 1);
  root.setAttributes({ later: 2, bad: undefined as unknown as string });
  root.addEvent('e1', { k1: 'v', k2: 'w', knull: null as unknown as string, kundef: undefined, '': 'x', kobj: {} as unknown as string, karr: ['abcdefghij', 'k'] }, t(0, 10));
  root.addEvent('e2', t(0, 20));
  root.addEvent('e3', { arr: ['abcdefghijk'] }, t(0, 30));
  root.recordException(BOOM, t(0, 40));
  root.recordException('plain message', t(0, 50));
  root.recordException({} as Error, t(0, 60));
  root.addLink({ context: { traceId: 'e'.repeat(32), spanId: 'f'.repeat(16), traceFlags: 1 } });
  root.setStatus({ code: SpanStatusCode.ERROR, message: 'first' });
  root.setStatus({ code: SpanStatusCode.UNSET });
  root.updateName('root renamed');
  const parentCtx = trace.setSpan(ROOT_CONTEXT, root);
  const child = tracer.startSpan('child', { kind: SpanKind.CLIENT, startTime: t(0, 100) }, parentCtx);
  child.setStatus({ code: SpanStatusCode.OK });
  child.setStatus({ code: SpanStatusCode.ERROR, message: 'ignored: OK is final' });
  child.setStatus({ code: SpanStatusCode.ERROR, message: 5 as unknown as string });
  child.end(t(0, 200));
  const fromRemote = tracer.startSpan('from remote', { kind: SpanKind.SERVER, startTime: t(1) }, remote);
  fromRemote.setStatus({ code: SpanStatusCode.ERROR, message: 7 as unknown as string });
  fromRemote.end(new Date(Date.UTC(2026, 0, 1)));
  const rooted = tracer.startSpan('root option', { root: true, startTime: t(2) }, parentCtx);
  rooted.end(Date.UTC(2027, 0, 1));
  const suppressed = tracer.startSpan('suppressed', { startTime: t(3) }, suppressTracing(parentCtx));
  suppressed.end(t(3, 1));
  const backwards = tracer.startSpan('ends before it starts', { startTime: t(5) });
  backwards.end(t(4));
  // Attributes the span can store as given (cloned at once) and frozen event attributes (shared).
  const cleanAttrs: Attributes = { 'http.route': '/a/:id', method: 'GET', port: 8080, secure: false };
  const clean = tracer.startSpan('clean attributes', { kind: SpanKind.SERVER, attributes: cleanAttrs, startTime: t(6) });
  cleanAttrs.method = 'changed after the start';
  clean.setAttribute('status', 200);
  const shared = Object.freeze({ 'message.type': 'SENT', 'message.id': 1 });
  clean.addEvent('message', shared, t(6, 1));
  clean.addEvent('message', shared, t(6, 2));
  clean.addEvent('frozen, long value', Object.freeze({ k: 'a value longer than six' }), t(6, 3));
  clean.addEvent('frozen, bad values', Object.freeze({ '': 'empty key', n: null as unknown as string, a: ['x'] }), t(6, 4));
  clean.end(t(7));
  root.end(t(9));
  // After the end: all ignored.
  root.setAttribute('after', 1);
  root.addEvent('after');
  root.setStatus({ code: SpanStatusCode.OK });
  root.updateName('after');
  root.end(t(10));
  return [root, child, fromRemote, rooted, suppressed, backwards, clean];
}

const remoteParent = trace.setSpanContext(ROOT_CONTEXT, {
  traceId: '0af7651916cd43dd8448eb211c80319c',
  spanId: 'b7ad6b7169203331',
  traceFlags: TraceFlags.SAMPLED,
  isRemote: true,
  traceState: new TraceState('vendor=x'),
});

describe('LeanTracer exports what the SDK tracer exports, on the same inputs', () => {
  for (const [label, limits] of [['default limits', FULL_LIMITS], ['tight limits (drops, truncation, oldest events and links out)', TIGHT_LIMITS]] as const) {
    it(`every span operation, misuse included: ${label}`, () => {
      const p = pair(new ParentBasedSampler({ root: new AlwaysOnSampler() }), limits);
      const sdkSpans = workload(p.sdk, remoteParent);
      const leanSpans = workload(p.lean, remoteParent);
      assertSameExport(p.sdkEnded, p.leanEnded);
      assert.deepEqual(leanSpans.map((s) => [s.isRecording(), s.spanContext()]), sdkSpans.map((s) => [s.isRecording(), s.spanContext()]), 'what callers see of every span');
    });
  }

  it('sampling: the provider sampler decides alike (ratio roots, parent-based children, always-off), non-recording spans carry the context', () => {
    for (const sampler of [new ParentBasedSampler({ root: new TraceIdRatioBasedSampler(0.5) }), new TraceIdRatioBasedSampler(0.3), new ParentBasedSampler({ root: new AlwaysOffSampler() })]) {
      const p = pair(sampler, FULL_LIMITS);
      const seen: unknown[][] = [[], []];
      for (const [i, tracer] of [p.sdk, p.lean].entries()) {
        for (let n = 0; n < 200; n++) {
          const root = tracer.startSpan(`r${n}`, { startTime: t(n) });
          const child = tracer.startSpan('c', { startTime: t(n, 1) }, trace.setSpan(ROOT_CONTEXT, root));
          const remote = tracer.startSpan('remote child', { startTime: t(n, 2) }, remoteParent);
          for (const s of [child, remote, root]) {
            seen[i]?.push([s.isRecording(), s.spanContext()]);
            s.end(t(n, 5));
          }
        }
      }
      assert.deepEqual(seen[1], seen[0], sampler.toString());
      assertSameExport(p.sdkEnded, p.leanEnded);
    }
  });

  it('startActiveSpan makes the span active for its function and returns its result (all three overloads)', () => {
    context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
    after(() => context.disable());
    const p = pair(new AlwaysOnSampler(), FULL_LIMITS);
    const result = p.lean.startActiveSpan('a', (span) => {
      assert.equal(trace.getActiveSpan(), span);
      return p.lean.startActiveSpan('b', { kind: SpanKind.CLIENT }, (inner) => {
        assert.equal(inner.spanContext().traceId, span.spanContext().traceId);
        inner.end();
        span.end();
        return 42;
      });
    });
    assert.equal(result, 42);
    p.lean.startActiveSpan('c', {}, remoteParent, (span) => {
      assert.equal(span.spanContext().traceId, '0af7651916cd43dd8448eb211c80319c');
      span.end();
    });
    assert.deepEqual(p.leanEnded.map((s) => [s.name, s.parentSpanContext?.spanId !== undefined]), [['b', true], ['a', false], ['c', true]]);
    assert.equal(context.active(), ROOT_CONTEXT);
  });

  it('times left out come from the precise clock: ordered, sub-millisecond, events inside the span', () => {
    const p = pair(new AlwaysOnSampler(), FULL_LIMITS);
    const before = preciseNow();
    const span = p.lean.startSpan('timed');
    span.addEvent('mid');
    span.end();
    const after = preciseNow();
    const [ended] = p.leanEnded;
    assert.ok(ended);
    const ns = (h: HrTime) => BigInt(h[0]) * 1_000_000_000n + BigInt(h[1]);
    const points = [before, ended.startTime, ended.events[0]?.time as HrTime, ended.endTime, after].map(ns);
    for (let i = 1; i < points.length; i++) assert.ok((points[i] as bigint) >= (points[i - 1] as bigint), `time ${i} not before ${i - 1}`);
    assert.ok(points.some((p) => p % 1_000_000n !== 0n), 'sub-millisecond digits');
  });
});
