/**
 * Load generator for the ingest benchmark, run as its own process: `--exporters N` concurrent
 * exporters, each sending one OTLP export request at a time (as the SDK's batch processor does)
 * and the next as soon as the backend acknowledges. A request is encoded once a second, with
 * that second's timestamps as a live service's spans would carry; each send copies it and
 * rewrites the trace ids in place, so the client spends its CPU on sending, not encoding.
 *   node --import tsx bench/lib/ingest-client.ts --protocol http-protobuf|http-json|grpc
 *     --target URL|host:port --exporters N --warmup S --seconds S [--traces-per-request 64]
 *     [--shape whole|by-service]
 * Shapes: `whole` (default): every request carries whole new traces (8 spans × 64 = 512 spans).
 * `by-service`: exporters come in groups of three, one per service, as in a real deployment
 * where each service exports its own spans; in round k of a group, user and inventory send their
 * parts of traces batch k and order (the root, which ends last) its part of batch k − 1, so every
 * trace is stored in three requests and merged twice, the last merge moving its start. A group
 * starts round k + 1 once its three requests of round k are acknowledged.
 * Prints `MEASURING` when the warm-up ends and one JSON line of results at the end.
 */
import * as grpc from '@grpc/grpc-js';
import { randomBytes } from 'node:crypto';
import { Agent } from 'node:http';
import { otlpTypes, TRACE_EXPORT_PATH } from '../../packages/cli/src/backend/otlp/index.ts';
import { postExport } from './http-post.ts';
import { percentile } from './stats.ts';
import { buildBatch, SERVICES, servicePart, toOtlpJson, type ExportRequestObject } from './span-factory.ts';

export type IngestProtocol = 'http-protobuf' | 'http-json' | 'grpc';
export type IngestShape = 'whole' | 'by-service';

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
const shape = flag('shape', 'whole') as IngestShape;
if (shape !== 'whole' && shape !== 'by-service') throw new Error(`unknown --shape ${shape}`);
if (shape === 'by-service' && exporters % SERVICES.length !== 0) throw new Error(`--shape by-service needs a multiple of ${SERVICES.length} exporters`);

// Trace ids start with this marker in the template; each send overwrites it with a unique prefix.
const MARKER = Buffer.from('deadbeef5a5a5a5a', 'hex');
const json = protocol === 'http-json';
const needle = json ? Buffer.from(MARKER.toString('hex')) : MARKER;

/** An encoded request with where its trace ids' marker sits. */
interface Template {
  body: Buffer;
  offsets: number[];
  spans: number;
}

function template(request: ExportRequestObject): Template {
  const body = json
    ? Buffer.from(JSON.stringify(toOtlpJson(request)))
    : Buffer.from(otlpTypes.ExportTraceServiceRequest.encode(request as never).finish());
  const offsets: number[] = [];
  for (let at = body.indexOf(needle); at >= 0; at = body.indexOf(needle, at + 1)) offsets.push(at);
  const spans = request.resourceSpans.reduce((n, rs) => n + rs.scopeSpans.reduce((m, ss) => m + ss.spans.length, 0), 0);
  if (offsets.length !== spans) throw new Error(`found ${offsets.length} trace ids in the template, expected ${spans}`);
  return { body, offsets, spans };
}

/** The requests of one second: whole traces, and each service's part of them. */
interface Templates {
  whole: Template;
  parts: Template[];
  builtAt: number;
}

/**
 * Spans stamped with the time they are sent, renewed every second. With one fixed timestamp for
 * the whole run, every trace would sort at the same instant in the backend's time-ordered
 * indexes, so each insert would land at a random place in them instead of at their recent end,
 * which no live service produces.
 */
const TEMPLATE_MS = 1000;
let templates: Templates | undefined;
function currentTemplates(): Templates {
  const now = Date.now();
  if (templates === undefined || now - templates.builtAt >= TEMPLATE_MS) {
    const batch = buildBatch({ prefix: MARKER, firstTrace: 0, traces, baseTimeMs: now, spacingMs: 0.01 });
    templates = { whole: template(batch), parts: SERVICES.map((service) => template(servicePart(batch, service))), builtAt: now };
  }
  return templates;
}

const nonce = randomBytes(3);
let sequence = 0;
/** A copy of `t` whose trace ids start with (exporter or group, nonce, number). */
function bodyOf(t: Template, owner: number, number: number): Buffer {
  const prefix = Buffer.alloc(8);
  prefix[0] = owner;
  nonce.copy(prefix, 1);
  prefix.writeUInt32BE(number >>> 0, 4);
  const body = Buffer.from(t.body);
  const patch = json ? Buffer.from(prefix.toString('hex')) : prefix;
  for (const at of t.offsets) patch.copy(body, at);
  return body;
}

type Send = (body: Buffer) => Promise<void>;

function httpSender(): Send {
  const url = new URL(target);
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  const contentType = json ? 'application/json' : 'application/x-protobuf';
  return (body) => postExport(url, agent, contentType, body);
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

let spans = 0;

/** Sends one request, counting it when it falls in the measured window. */
async function sendCounted(send: Send, body: Buffer, spanCount: number): Promise<void> {
  const counted = measuring;
  const started = performance.now();
  try {
    await send(body);
    if (counted && measuring) {
      requests++;
      spans += spanCount;
      bodyBytes += body.length;
      latencies.push(performance.now() - started);
    }
  } catch (err) {
    if (counted) failures++;
    firstFailure ??= String((err as Error).message ?? err);
  }
}

async function exporter(index: number): Promise<void> {
  const send = protocol === 'grpc' ? grpcSender() : httpSender();
  while (!stopping) {
    const { whole } = currentTemplates();
    await sendCounted(send, bodyOf(whole, index, sequence++), whole.spans);
  }
}

/** A group of three exporters, one per service, sending their parts of the same traces. */
async function serviceGroup(group: number): Promise<void> {
  const senders = SERVICES.map(() => (protocol === 'grpc' ? grpcSender() : httpSender()));
  const root = SERVICES.indexOf('order');
  // Order's part of a batch goes a round after the others, cut from the same templates, so the
  // three parts of a trace carry the same times.
  let previous: Templates | undefined;
  for (let round = 0; !stopping; round++) {
    const current = currentTemplates();
    await Promise.all(
      SERVICES.map((_, s) => {
        const from = s === root ? previous : current;
        const part = from?.parts[s];
        return part === undefined ? undefined : sendCounted(senders[s], bodyOf(part, group, s === root ? round - 1 : round), part.spans);
      }),
    );
    previous = current;
  }
}

const loops =
  shape === 'whole'
    ? Array.from({ length: exporters }, (_, i) => exporter(i))
    : Array.from({ length: exporters / SERVICES.length }, (_, g) => serviceGroup(g));
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
  spans,
  failures,
  seconds: elapsed,
  p50Ms: percentile(latencies, 50),
  p99Ms: percentile(latencies, 99),
  bodyBytes,
  ...(firstFailure ? { firstFailure } : {}),
};
console.log(`RESULT ${JSON.stringify(result)}`);
process.exit(0);
