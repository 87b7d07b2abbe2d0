/**
 * CPU a traced request spends on its spans, `Pipeline: sdk` against `fast`, interleaved rounds in
 * one process: the three spans of the seed's chain made as the rest handler and rpc interceptors
 * make them (attributes, message events, status code), ended, batched and exported over OTLP/HTTP
 * to a sink in another process (its CPU is not counted), every batch answered before the next.
 * Not a test (nothing asserted) and not shipped; the numbers are in ../README.md.
 *
 *   node --import tsx packages/zeroscope/src/trace/testdata/span-cost.ts [rounds] [requests per round]
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import type { Tracer } from '@opentelemetry/api';
import { createTracerProvider, type AgentProvider } from '../agent.ts';
import { PIPELINES, TelemetrySchema } from '../config.ts';
import { preciseTracer } from '../precise-span.ts';
import { TRACER_NAME, VERSION } from '../tracer.ts';
import { chainRequest } from './chain-request.ts';

const rounds = Number(process.argv[2] ?? 8);
const perRound = Number(process.argv[3] ?? 3000);

const sink = spawn(
  process.execPath,
  ['-e', `require('http').createServer((q,s)=>{q.resume();q.on('end',()=>s.writeHead(200,{'content-type':'application/x-protobuf'}).end())}).listen(0,'127.0.0.1',function(){console.log(this.address().port)})`],
  { stdio: ['ignore', 'pipe', 'inherit'] },
);
const [port] = (await once(sink.stdout, 'data')) as [Buffer];
const endpoint = `127.0.0.1:${port.toString().trim()}`;

const setups = new Map<string, { provider: AgentProvider; tracer: Tracer }>();
for (const Pipeline of PIPELINES) {
  const provider = createTracerProvider({ ...TelemetrySchema.parse({ Endpoint: endpoint, Pipeline }), Name: 'span-cost' }, { log: () => {} });
  const found = provider.getTracer(TRACER_NAME, VERSION);
  // What tracer() hands the middlewares: the lean tracer as is, the SDK's behind the precise clock.
  setups.set(Pipeline, { provider, tracer: Pipeline === 'fast' ? found : preciseTracer(found) });
}

const results = new Map<string, number[]>(PIPELINES.map((p) => [p, []]));
for (let round = 0; round <= rounds; round++) {
  for (const name of round % 2 ? [...PIPELINES] : [...PIPELINES].reverse()) {
    const { provider, tracer } = setups.get(name)!;
    const start = process.cpuUsage();
    for (let i = 0; i < perRound; i++) {
      chainRequest(tracer, i);
      if (i % 150 === 149) await provider.forceFlush(); // batches of 450 spans
    }
    await provider.forceFlush();
    const used = process.cpuUsage(start);
    const { dropped, failed } = provider.stats();
    if (dropped || failed) throw new Error(`${name}: ${dropped} spans dropped, ${failed} failed`);
    if (round > 0) results.get(name)!.push((used.user + used.system) / perRound); // round 0 warms up
  }
}
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? Number.NaN;
for (const [name, xs] of results) {
  const m = median(xs);
  console.log(`${name.padEnd(5)} ${m.toFixed(1)} µs per request (3 spans), ${(m / 3).toFixed(1)} µs per span; rounds ${xs.map((x) => x.toFixed(0)).join(' ')}`);
}
console.log(`fast / sdk: ${(median(results.get('fast')!) / median(results.get('sdk')!)).toFixed(2)}`);
for (const { provider } of setups.values()) await provider.shutdown();
sink.kill();
