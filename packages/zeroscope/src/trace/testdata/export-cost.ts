/**
 * What an export costs beside the spans in it, and whether handing batches to a worker thread
 * could pay (issue 20's "batch and send from a worker thread"). Not a test (nothing asserted)
 * and not shipped; the numbers are in BENCHMARKS.md ("fourth session").
 *
 * 1. CPU per flush for batches of 8 … 512 spans (made, ended, batched, encoded and sent over
 *    OTLP/HTTP to a sink in another process, each flush answered before the next): a line
 *    through the points gives the fixed cost of one export and the cost of one span in it.
 * 2. On the calling thread, per span of a 450-span batch: encoding it (what the export does
 *    now) against handing it to a worker (`postMessage` of plain records, the structured clone
 *    it makes synchronously). A worker could only take what the hand-off costs less than.
 *
 *   node --import tsx packages/zeroscope/src/trace/testdata/export-cost.ts [rounds]
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { Worker } from 'node:worker_threads';
import { createTracerProvider } from '../agent.ts';
import { TelemetrySchema } from '../config.ts';
import type { ReadableSpan } from '../exporters/types.ts';
import { SDK_SPAN_LIMITS } from '../lean/span.ts';
import { LeanTracer } from '../lean/tracer.ts';
import { encodeTraceRequest } from '../otlp/encode-traces.ts';
import { TRACER_NAME, VERSION } from '../tracer.ts';
import { chainRequest } from './chain-request.ts';

const rounds = Number(process.argv[2] ?? 6);
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? Number.NaN;

async function flushCost(): Promise<void> {
  const sink = spawn(
    process.execPath,
    ['-e', `require('http').createServer((q,s)=>{q.resume();q.on('end',()=>s.writeHead(200,{'content-type':'application/x-protobuf'}).end())}).listen(0,'127.0.0.1',function(){console.log(this.address().port)})`],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  const [port] = (await once(sink.stdout, 'data')) as [Buffer];
  const provider = createTracerProvider({ ...TelemetrySchema.parse({ Endpoint: `127.0.0.1:${port.toString().trim()}` }), Name: 'export-cost' }, { log: () => {} });
  const tracer = provider.getTracer(TRACER_NAME, VERSION);
  const requestsPerFlush = [3, 21, 85, 170]; // 9, 63, 255 and 510 spans a batch
  const perFlush = new Map<number, number[]>(requestsPerFlush.map((n) => [n * 3, []]));
  for (let round = 0; round <= rounds; round++) {
    for (const n of requestsPerFlush) {
      const flushes = Math.max(30, Math.floor(6000 / n));
      const start = process.cpuUsage();
      for (let f = 0; f < flushes; f++) {
        for (let i = 0; i < n; i++) chainRequest(tracer, i);
        await provider.forceFlush();
      }
      const used = process.cpuUsage(start);
      if (round > 0) perFlush.get(n * 3)!.push((used.user + used.system) / flushes); // round 0 warms up
    }
  }
  const { dropped, failed } = provider.stats();
  if (dropped || failed) throw new Error(`${dropped} spans dropped, ${failed} failed`);
  const points = [...perFlush].map(([spans, xs]) => [spans, median(xs)] as const);
  const [small, large] = [points[0]!, points.at(-1)!];
  const perSpan = (large[1] - small[1]) / (large[0] - small[0]);
  for (const [spans, us] of points) console.log(`batch of ${String(spans).padStart(3)} spans: ${us.toFixed(0).padStart(5)} µs CPU a flush, ${(us / spans).toFixed(2)} µs a span`);
  console.log(`fixed cost of one export ≈ ${(small[1] - perSpan * small[0]).toFixed(0)} µs; each span in it ≈ ${perSpan.toFixed(2)} µs (made, batched, encoded, sent)`);
  await provider.shutdown();
  sink.kill();
}

/** What a worker would need of a span to encode it: plain data, no methods or shared objects. */
function record(span: ReadableSpan) {
  const { traceId, spanId, traceFlags } = span.spanContext();
  return {
    traceId,
    spanId,
    traceFlags,
    parentSpanId: span.parentSpanContext?.spanId,
    name: span.name,
    kind: span.kind,
    startTime: span.startTime,
    endTime: span.endTime,
    attributes: span.attributes,
    events: span.events,
    links: span.links,
    status: span.status,
    dropped: [span.droppedAttributesCount, span.droppedEventsCount, span.droppedLinksCount],
  };
}

async function handOffCost(): Promise<void> {
  const ended: ReadableSpan[] = [];
  const { resourceFromAttributes } = await import('@opentelemetry/resources');
  const { AlwaysOnSampler, RandomIdGenerator } = await import('@opentelemetry/sdk-trace-base');
  const tracer = new LeanTracer({
    resource: resourceFromAttributes({ 'service.name': 'order' }),
    scope: { name: TRACER_NAME, version: VERSION },
    sampler: new AlwaysOnSampler(),
    idGenerator: new RandomIdGenerator(),
    limits: SDK_SPAN_LIMITS,
    sink: { onStart() {}, onEnd: (span) => void ended.push(span) },
  });
  const worker = new Worker('require("node:worker_threads").parentPort.on("message", () => {})', { eval: true });
  const times = { encode: [] as number[], postMessage: [] as number[] };
  for (let round = 0; round <= rounds; round++) {
    for (let batch = 0; batch < 100; batch++) {
      ended.length = 0;
      for (let i = 0; i < 150; i++) chainRequest(tracer, i);
      let at = performance.now();
      encodeTraceRequest(ended);
      const encoded = performance.now() - at;
      at = performance.now();
      worker.postMessage(ended.map(record)); // serialised here, synchronously, on this thread
      const posted = performance.now() - at;
      if (round > 0) {
        times.encode.push((encoded * 1000) / ended.length);
        times.postMessage.push((posted * 1000) / ended.length);
      }
    }
    await new Promise((resolve) => setImmediate(resolve)); // let the worker drain
  }
  console.log(`on the calling thread, a span of a 450-span batch: encoding ${median(times.encode).toFixed(2)} µs, handing it to a worker ${median(times.postMessage).toFixed(2)} µs`);
  await worker.terminate();
}

await flushCost();
await handOffCost();
