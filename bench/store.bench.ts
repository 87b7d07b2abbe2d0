/**
 * Store benchmark (not a test): push throughput and getTrace latency at N stored spans.
 *
 *   node --import tsx bench/store.bench.ts [spans=100000] [concurrency=4]
 *
 * Requests hold 1,000 spans (100 traces of 10 spans, two services) and are decoded from protobuf
 * bytes by the receivers' decoder, as a receiver hands them over (each span keeping the bytes it
 * came in); building them is not timed. Pushes run `concurrency` at a time, each
 * acknowledged only once durable. Then 1,000 getTrace calls on random stored traces, and a
 * search for a rare service.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeProtobufRequest, otlpTypes } from '../packages/cli/src/backend/otlp/index.ts';
import { openStore } from '../packages/cli/src/backend/store/index.ts';
import type { ExportTraceServiceRequestLike as OtlpExportRequest } from '../packages/cli/src/backend/otlp/index.ts';
import { idHex, decodedRequest, spanIdOf, traceIdOf, type SpanSpec } from '../packages/cli/src/backend/otlp/testing/trace-builder.ts';

const total = Number(process.argv[2] ?? 100_000);
const concurrency = Number(process.argv[3] ?? 4);
const SPANS_PER_TRACE = 10;
const TRACES_PER_REQUEST = 100;
const SPANS_PER_REQUEST = SPANS_PER_TRACE * TRACES_PER_REQUEST;
const CHUNK = 50; // requests built, then pushed, at a time (bounds memory for large N)
const base = BigInt(Date.now()) * 1_000_000n;

function buildRequest(r: number): OtlpExportRequest {
  const spans = (service: 'order' | 'user'): SpanSpec[] => {
    const out: SpanSpec[] = [];
    for (let t = 0; t < TRACES_PER_REQUEST; t++) {
      const trace = r * TRACES_PER_REQUEST + t;
      const start = base + BigInt(trace) * 1_000_000n;
      for (let k = 0; k < SPANS_PER_TRACE; k++) {
        if ((k < 5) !== (service === 'order')) continue;
        out.push({
          traceId: traceIdOf(trace),
          spanId: spanIdOf(k + 1),
          parentSpanId: k === 0 ? undefined : spanIdOf(k),
          name: k === 0 ? 'GET /api/order/:id' : `op-${k}`,
          kind: k === 0 ? 2 : 1,
          start: start + BigInt(k) * 1000n,
          end: start + 900_000n - BigInt(k) * 1000n,
          error: trace % 97 === 0 && k === 0,
          attributes: {
            'http.route': '/api/order/:id',
            'http.status_code': 200,
            'request.id': `req-${trace}-${k}`,
            'db.statement': 'SELECT * FROM orders WHERE id = ?',
          },
        });
      }
    }
    return out;
  };
  const request = decodedRequest([
    { service: 'order', attributes: { 'host.name': 'bench' }, spans: spans('order') },
    { service: 'user', attributes: { 'host.name': 'bench' }, spans: spans('user') },
  ]);
  return decodeProtobufRequest(otlpTypes.ExportTraceServiceRequest.encode(request as never).finish()) as unknown as OtlpExportRequest;
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

const dataDir = await mkdtemp(join(tmpdir(), 'zeroscope-store-bench-'));
const store = await openStore({ dataDir, retention: { sweepIntervalMs: 0 } });
try {
  const requests = Math.max(1, Math.round(total / SPANS_PER_REQUEST));
  let pushMs = 0;
  let pushCpuMs = 0;
  for (let first = 0; first < requests; first += CHUNK) {
    const chunk = Array.from({ length: Math.min(CHUNK, requests - first) }, (_, i) => buildRequest(first + i));
    const started = performance.now();
    const cpu = process.cpuUsage();
    let next = 0;
    await Promise.all(
      Array.from({ length: concurrency }, async () => {
        while (next < chunk.length) await store.push(chunk[next++]);
      }),
    );
    pushMs += performance.now() - started;
    const used = process.cpuUsage(cpu);
    pushCpuMs += (used.user + used.system) / 1000;
  }
  const spans = requests * SPANS_PER_REQUEST;
  console.log(`push: ${spans} spans in ${pushMs.toFixed(0)} ms = ${Math.round(spans / (pushMs / 1000))} spans/s (concurrency ${concurrency}; ${pushCpuMs.toFixed(0)} ms CPU = ${((pushCpuMs * 1000) / spans).toFixed(1)} µs/span)`);

  const traces = requests * TRACES_PER_REQUEST;
  const latencies: number[] = [];
  for (let i = 0; i < 1000; i++) {
    const id = idHex(traceIdOf(Math.floor(Math.random() * traces)));
    const started = performance.now();
    const body = await store.getTrace(id);
    latencies.push(performance.now() - started);
    if (!body) throw new Error(`trace ${id} missing`);
  }
  latencies.sort((a, b) => a - b);
  console.log(
    `getTrace: ${traces} traces stored, p50 ${percentile(latencies, 50).toFixed(2)} ms, p99 ${percentile(latencies, 99).toFixed(2)} ms`,
  );

  await store.push(decodedRequest([{ service: 'rare', spans: [{ traceId: traceIdOf(1, 1), spanId: spanIdOf(1), name: 'x', start: base, end: base + 1n }] }]));
  let started = performance.now();
  let found = 0;
  for await (const _ of store.fetchTraces({ serviceNames: ['rare'] })) found++;
  console.log(`fetchTraces(rare service): ${found} trace in ${(performance.now() - started).toFixed(2)} ms`);
  started = performance.now();
  found = 0;
  for await (const _ of store.fetchTraces({})) if (++found === 20) break;
  console.log(`fetchTraces(newest 20): ${(performance.now() - started).toFixed(2)} ms`);
  console.log('stats:', await store.stats());
} finally {
  await store.close();
  await rm(dataDir, { recursive: true, force: true });
}
