// Back-pressure: a store that cannot keep up (slow fake) behind the push limiter. Over the cap the
// receivers answer 503 + Retry-After (gRPC UNAVAILABLE + RetryInfo), the store never holds more
// than the cap (memory bounded), and the official OTLP/HTTP exporter retries until all is delivered.
// (opentelemetry-js' gRPC exporter does not retry at all as of 0.223, whatever the status; the gRPC
// answer is checked for what spec-following exporters need, UNAVAILABLE with RetryInfo, and
// zeroscope's own OTLP/gRPC exporter is shown retrying it until all is delivered.)
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, it } from 'node:test';
import { OTLPTraceExporter as ProtoExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { BasicTracerProvider, SimpleSpanProcessor, type SpanExporter } from '@opentelemetry/sdk-trace-base';
import { pushLimiter } from '../../packages/cli/src/backend/guard/index.ts';
import { createTracerProvider } from '../../packages/zeroscope/src/trace/agent.ts';
import { TelemetrySchema } from '../../packages/zeroscope/src/trace/config.ts';
import { createOtlpGrpcReceiver, createOtlpHttpReceiver, type TracesPusher } from '../../packages/cli/src/backend/receivers/index.ts';
import type { ExportTraceServiceRequest } from '../../packages/cli/src/backend/otlp/index.ts';
import { protobufBody, rawGrpcClient, sendBatch, traceIdFor } from './lib/traces.ts';

/** A store taking `delayMs` per push, recording what it stored and its peak concurrency. */
function slowStore(delayMs: number) {
  const names: string[] = [];
  let concurrent = 0;
  let peak = 0;
  const pusher: TracesPusher = {
    async push(request: ExportTraceServiceRequest) {
      peak = Math.max(peak, ++concurrent);
      await sleep(delayMs);
      concurrent--;
      for (const rs of request.resourceSpans) for (const ss of rs.scopeSpans) for (const s of ss.spans) names.push(s.name);
    },
  };
  return { pusher, names, peak: () => peak };
}

async function exportVia(exporter: SpanExporter, names: string[]): Promise<void> {
  const provider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
  const tracer = provider.getTracer('back-pressure');
  for (const name of names) tracer.startSpan(name).end();
  await provider.forceFlush();
  await provider.shutdown();
}

describe('back-pressure', () => {
  it('answers 503 + Retry-After past the cap, bounds the store, and official exporters still deliver', async (t) => {
    const store = slowStore(300);
    const limited = pushLimiter(store.pusher, { maxInFlightPushes: 1, retryAfterSeconds: 1 });
    const http = createOtlpHttpReceiver({ port: 0, pusher: limited });
    const grpc = createOtlpGrpcReceiver({ port: 0, pusher: limited });
    const httpPort = (await http.start()).port;
    const grpcPort = (await grpc.start()).port;
    t.after(() => Promise.all([http.stop(), grpc.stop()]));

    // Raw clients see the answers exactly.
    const client = rawGrpcClient(`127.0.0.1:${grpcPort}`);
    t.after(() => client.close());
    const targets = { otlpHttp: `http://127.0.0.1:${httpPort}`, zipkin: '', grpc: client };
    const batch = (n: number) => ({ traceId: traceIdFor(9, 0, n), spans: 1, service: 's' });
    assert.equal((await client.call(Buffer.alloc(0))).code, 0); // connect first: an empty export stores nothing
    const first = sendBatch(targets, 'otlp-proto', batch(0));
    await sleep(50);
    const [overHttp, overGrpc] = await Promise.all([
      sendBatch(targets, 'otlp-proto', batch(1)),
      client.call(protobufBody(batch(2))),
    ]);
    assert.equal(overHttp.status, '503');
    assert.equal(overHttp.retryAfterSeconds, 1);
    assert.equal(overGrpc.code, 14); // UNAVAILABLE
    assert.ok(overGrpc.statusDetails?.includes('google.rpc.RetryInfo'), 'RetryInfo in grpc-status-details-bin');
    assert.ok((await first).acked);

    // Official exporters, several at once: each is refused at first, retries, and delivers.
    const url = `http://127.0.0.1:${httpPort}/v1/traces`;
    const expected: string[] = [];
    const exports = [0, 1, 2].map((i) => {
      const names = [`proto-${i}`];
      expected.push(...names);
      return exportVia(new ProtoExporter({ url, timeoutMillis: 20_000 }), names);
    });
    await Promise.all(exports);
    for (const name of expected) assert.ok(store.names.includes(name), `${name} was delivered`);
    assert.equal(store.peak(), 1, 'the store never held more than the cap');
    assert.ok(limited.stats().rejected >= 3, `refusals: ${limited.stats().rejected}`);
  });

  it("zeroscope's OTLP/gRPC exporter waits out UNAVAILABLE + RetryInfo and delivers every batch", async (t) => {
    const store = slowStore(300);
    const limited = pushLimiter(store.pusher, { maxInFlightPushes: 1, retryAfterSeconds: 1 });
    const grpc = createOtlpGrpcReceiver({ port: 0, pusher: limited });
    const port = (await grpc.start()).port;
    t.after(() => grpc.stop());
    const names = [0, 1, 2].map((i) => `grpc-${i}`);
    // Three services exporting at once: two are refused at first, wait the second the backend asks for, and retry.
    await Promise.all(
      names.map(async (name) => {
        const conf = { ...TelemetrySchema.parse({ Endpoint: `127.0.0.1:${port}`, Batcher: 'otlpgrpc' }), Name: name };
        const provider = createTracerProvider(conf, { log: () => {}, exportTimeoutMs: 20_000 });
        provider.getTracer('back-pressure').startSpan(name).end();
        await provider.forceFlush();
        assert.deepEqual([provider.stats().exported, provider.stats().failed], [1, 0], name);
        await provider.shutdown();
      }),
    );
    assert.deepEqual([...store.names].sort(), names);
    assert.equal(store.peak(), 1, 'the store never held more than the cap');
    assert.ok(limited.stats().rejected >= 2, `refusals: ${limited.stats().rejected}`);
  });
});
