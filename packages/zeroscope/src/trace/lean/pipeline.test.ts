import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { context, propagation, SpanKind, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { createTracerProvider } from '../agent.ts';
import { PIPELINES, TelemetrySchema } from '../config.ts';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startOtlpGrpcReceiver, startOtlpHttpReceiver, startZipkinReceiver, type ReceivedSpan } from '../testing/receivers.ts';
import { tracer } from '../tracer.ts';
import { LeanSpan } from './span.ts';

/** Where spans of `batcher` go, and what arrived there. */
async function destination(batcher: 'otlphttp' | 'otlpgrpc' | 'zipkin' | 'file'): Promise<{ endpoint: string; spans(): ReceivedSpan[] }> {
  if (batcher === 'file') {
    const dir = mkdtempSync(join(tmpdir(), 'zeroscope-pipeline-'));
    after(() => rmSync(dir, { recursive: true, force: true }));
    const path = join(dir, 'spans.jsonl');
    type JsonSpan = { name: string; traceId: string; spanId: string; parentSpanId?: string };
    type JsonRequest = { resourceSpans: { resource: { attributes: { key: string; value: { stringValue?: string } }[] }; scopeSpans: { spans: JsonSpan[] }[] }[] };
    return {
      endpoint: path,
      spans: () =>
        readFileSync(path, 'utf8')
          .trimEnd()
          .split('\n')
          .flatMap((line) => (JSON.parse(line) as JsonRequest).resourceSpans)
          .flatMap((rs) => {
            const service = rs.resource.attributes.find((a) => a.key === 'service.name')?.value.stringValue;
            return rs.scopeSpans.flatMap((ss) => ss.spans.map((s) => ({ name: s.name, traceId: s.traceId, spanId: s.spanId, parentSpanId: s.parentSpanId || undefined, service })));
          }),
    };
  }
  const receiver = await (batcher === 'zipkin' ? startZipkinReceiver() : batcher === 'otlpgrpc' ? startOtlpGrpcReceiver() : startOtlpHttpReceiver());
  after(() => receiver.close());
  return receiver;
}

/**
 * The agent's provider, registered the way startAgent registers it, under each Pipeline: zeroscope's
 * spans and a user's own `@opentelemetry/api` spans share one trace, nest both ways, and export
 * through the configured exporter. (One test file is one process, so the globals are ours here.)
 */
describe('Pipeline: a user\'s spans and zeroscope\'s in one trace, through any exporter', () => {
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  propagation.setGlobalPropagator(new W3CTraceContextPropagator());
  after(() => {
    trace.disable();
    context.disable();
    propagation.disable();
  });

  for (const Pipeline of PIPELINES) {
    for (const Batcher of ['otlphttp', 'otlpgrpc', 'zipkin', 'file'] as const) {
      it(`${Pipeline}, ${Batcher}: server span → user span → zeroscope client span → user span`, async () => {
        const receiver = await destination(Batcher);
        const provider = createTracerProvider({ ...TelemetrySchema.parse({ Endpoint: receiver.endpoint, Batcher, Pipeline }), Name: 'pipeline-svc' }, { log: () => {} });
        trace.disable();
        assert.ok(trace.setGlobalTracerProvider(provider));

        const server = tracer().startSpan('GET /orders/:id', { kind: SpanKind.SERVER, attributes: { 'http.route': '/orders/:id' } });
        assert.equal(server instanceof LeanSpan, Pipeline === 'fast', 'zeroscope spans are lean exactly under Pipeline: fast');
        await context.with(trace.setSpan(context.active(), server), async () => {
          await trace.getTracer('my-app').startActiveSpan('load order', async (mine) => {
            assert.equal(mine instanceof LeanSpan, false, 'a user tracer is always the SDK one');
            const client = tracer().startSpan('user.User/Get', { kind: SpanKind.CLIENT });
            await context.with(trace.setSpan(context.active(), client), async () => {
              const carrier: Record<string, string> = {};
              propagation.inject(context.active(), carrier);
              assert.match(carrier.traceparent ?? '', new RegExp(`^00-${server.spanContext().traceId}-${client.spanContext().spanId}-01$`));
              trace.getTracer('my-app').startSpan('inside client').end();
            });
            client.end();
            mine.end();
          });
        });
        server.end();
        await provider.forceFlush();
        await provider.shutdown();

        const spans = receiver.spans();
        const byName = new Map(spans.map((s) => [s.name, s]));
        assert.deepEqual([...byName.keys()].sort(), ['GET /orders/:id', 'inside client', 'load order', 'user.User/Get']);
        const id = (name: string) => byName.get(name)?.spanId;
        assert.deepEqual(
          ['load order', 'user.User/Get', 'inside client'].map((n) => byName.get(n)?.parentSpanId),
          [id('GET /orders/:id'), id('load order'), id('user.User/Get')],
        );
        assert.equal(new Set(spans.map((s) => s.traceId)).size, 1, 'one trace');
        assert.deepEqual(new Set(spans.map((s) => s.service)), new Set(['pipeline-svc']));
      });
    }
  }
});
