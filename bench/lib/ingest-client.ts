/**
 * Load generator for the ingest benchmark, run as its own process: `--exporters N` concurrent
 * exporters, each sending one OTLP export request at a time (as the SDK's batch processor does)
 * and the next as soon as the backend acknowledges. One 512-span request is encoded once; each
 * send copies it and rewrites the trace ids in place, so the client spends its CPU on sending,
 * not encoding, and every request carries new traces.
 *   node --import tsx bench/lib/ingest-client.ts --protocol http-protobuf|http-json|grpc
 *     --target URL|host:port --exporters N --warmup S --seconds S [--traces-per-request 64]
 * Prints `MEASURING` when the warm-up ends and one JSON line of results at the end.
 */
import * as grpc from '@grpc/grpc-js';
import { randomBytes } from 'node:crypto';
import { Agent, request } from 'node:http';
import { otlpTypes, TRACE_EXPORT_PATH } from '../../src/backend/otlp/index.ts';
import { buildBatch, SPANS_PER_TRACE, toOtlpJson } from './span-factory.ts';

export type IngestProtocol = 'http-protobuf' | 'http-json' | 'grpc';

/** What the client reports for its measured window. */
export interface IngestClientResult {
  requests: number;
  spans: number;
  failures: number;
  seconds: number;
  p50Ms: number;
  p99Ms: number;
  bodyBytes: number;
  firstFailure?: string;
}

function flag(name: string, fallback?: string): string {
  const i = process.argv.indexOf(`--${name}`);
  const value = i >= 0 ? process.argv[i + 1] : fallback;
  if (value === undefined) throw new Error(`missing --${name}`);
  return value;
}

const protocol = flag('protocol') as IngestProtocol;
const target = flag('target');
const exporters = Number(flag('exporters', '4'));
const warmup = Number(flag('warmup', '2'));
const seconds = Number(flag('seconds', '10'));
const traces = Number(flag('traces-per-request', '64'));

// Trace ids start with this marker in the template; each send overwrites it with a unique prefix.
const MARKER = Buffer.from('deadbeef5a5a5a5a', 'hex');
const batch = buildBatch({ prefix: MARKER, firstTrace: 0, traces, baseTimeMs: Date.now(), spacingMs: 0.01 });
const json = protocol === 'http-json';
const template = json
  ? Buffer.from(JSON.stringify(toOtlpJson(batch)))
  : Buffer.from(otlpTypes.ExportTraceServiceRequest.encode(batch as never).finish());
const needle = json ? Buffer.from(MARKER.toString('hex')) : MARKER;
const offsets: number[] = [];
for (let at = template.indexOf(needle); at >= 0; at = template.indexOf(needle, at + 1)) offsets.push(at);
const spansPerRequest = traces * SPANS_PER_TRACE;
if (offsets.length !== spansPerRequest) throw new Error(`found ${offsets.length} trace ids in the template, expected ${spansPerRequest}`);

const nonce = randomBytes(3);
let sequence = 0;
function nextBody(exporter: number): Buffer {
  const prefix = Buffer.alloc(8);
  prefix[0] = exporter;
  nonce.copy(prefix, 1);
  prefix.writeUInt32BE(sequence++ >>> 0, 4);
  const body = Buffer.from(template);
  const patch = json ? Buffer.from(prefix.toString('hex')) : prefix;
  for (const at of offsets) patch.copy(body, at);
  return body;
}

type Send = (body: Buffer) => Promise<void>;

function httpSender(): Send {
  const url = new URL(target);
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  const contentType = json ? 'application/json' : 'application/x-protobuf';
  return (body) =>
    new Promise((resolve, reject) => {
      const req = request(
        { host: url.hostname, port: url.port, path: url.pathname, method: 'POST', agent, headers: { 'content-type': contentType, 'content-length': body.length } },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => (res.statusCode === 200 ? resolve() : reject(new Error(`HTTP ${res.statusCode}: ${Buffer.concat(chunks).toString().slice(0, 200)}`))));
          res.on('error', reject);
        },
      );
      req.on('error', reject);
      req.end(body);
    });
}

function grpcSender(): Send {
  // A channel of its own per exporter, as separate SDK processes would have.
  const client = new grpc.Client(target, grpc.credentials.createInsecure(), { 'grpc.use_local_subchannel_pool': 1 });
  const identity = (b: Buffer) => b;
  return (body) =>
    new Promise((resolve, reject) => {
      client.makeUnaryRequest(TRACE_EXPORT_PATH, identity, identity, body, (err) => (err ? reject(err) : resolve()));
    });
}

let measuring = false;
let stopping = false;
const latencies: number[] = [];
let requests = 0;
let failures = 0;
let bodyBytes = 0;
let firstFailure: string | undefined;

async function exporter(index: number): Promise<void> {
  const send = protocol === 'grpc' ? grpcSender() : httpSender();
  while (!stopping) {
    const body = nextBody(index);
    const counted = measuring;
    const started = performance.now();
    try {
      await send(body);
      if (counted && measuring) {
        requests++;
        bodyBytes += body.length;
        latencies.push(performance.now() - started);
      }
    } catch (err) {
      if (counted) failures++;
      firstFailure ??= String((err as Error).message ?? err);
    }
  }
}

function pct(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted.length ? sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] : NaN;
}

const loops = Array.from({ length: exporters }, (_, i) => exporter(i));
await new Promise((r) => setTimeout(r, warmup * 1000));
measuring = true;
console.log('MEASURING');
const started = performance.now();
await new Promise((r) => setTimeout(r, seconds * 1000));
measuring = false;
const elapsed = (performance.now() - started) / 1000;
stopping = true;
await Promise.all(loops);
const result: IngestClientResult = {
  requests,
  spans: requests * spansPerRequest,
  failures,
  seconds: elapsed,
  p50Ms: pct(latencies, 50),
  p99Ms: pct(latencies, 99),
  bodyBytes,
  ...(firstFailure ? { firstFailure } : {}),
};
console.log(`RESULT ${JSON.stringify(result)}`);
process.exit(0);
