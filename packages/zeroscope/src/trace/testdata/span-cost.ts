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
import { ROOT_CONTEXT, SpanKind, trace, type Tracer } from '@opentelemetry/api';
import { createTracerProvider, type AgentProvider } from '../agent.ts';
import { PIPELINES, TelemetrySchema } from '../config.ts';
import { preciseTracer } from '../precise-span.ts';
import { TRACER_NAME, VERSION } from '../tracer.ts';

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

function request(tracer: Tracer, i: number): void {
  const server = tracer.startSpan(
    'GET /api/order/:id',
    {
      kind: SpanKind.SERVER,
      attributes: {
        'http.route': '/api/order/:id',
        'http.request.method': 'GET',
        'url.path': `/api/order/${i % 100}`,
        'url.scheme': 'http',
        'server.address': '127.0.0.1',
        'server.port': 8888,
        'client.address': '127.0.0.1',
        'user_agent.original': 'autocannon',
      },
    },
    ROOT_CONTEXT,
  );
  const rpc = { 'rpc.system': 'grpc', 'rpc.service': 'user.User', 'rpc.method': 'Get' };
  const client = tracer.startSpan('user.User/Get', { kind: SpanKind.CLIENT, attributes: { ...rpc, 'server.address': '127.0.0.1', 'server.port': 8080 } }, trace.setSpan(ROOT_CONTEXT, server));
  client.addEvent('message', { 'message.type': 'SENT', 'message.id': 1 });
  const user = tracer.startSpan('user.User/Get', { kind: SpanKind.SERVER, attributes: { ...rpc, 'client.address': '127.0.0.1', 'client.port': 40000 + (i % 1000) } }, trace.setSpan(ROOT_CONTEXT, client));
  user.addEvent('message', { 'message.type': 'RECEIVED', 'message.id': 1 });
  user.addEvent('message', { 'message.type': 'SENT', 'message.id': 1 });
  user.setAttribute('rpc.grpc.status_code', 0);
  user.end();
  client.addEvent('message', { 'message.type': 'RECEIVED', 'message.id': 1 });
  client.setAttribute('rpc.grpc.status_code', 0);
  client.end();
  server.setAttribute('http.response.status_code', 200);
  server.end();
}

const results = new Map<string, number[]>(PIPELINES.map((p) => [p, []]));
for (let round = 0; round <= rounds; round++) {
  for (const name of round % 2 ? [...PIPELINES] : [...PIPELINES].reverse()) {
    const { provider, tracer } = setups.get(name)!;
    const start = process.cpuUsage();
    for (let i = 0; i < perRound; i++) {
      request(tracer, i);
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
