/**
 * Load generator for the ingest benchmark's "small exports" row, run as its own process: the
 * demo's traffic as the backend sees it when each service exports what it has as it goes. Each
 * trace is the demo's request (order HTTP → user gRPC): order's server span and its gRPC client
 * span, and user's server span, with span-factory's attributes and events. It arrives in two
 * OTLP/HTTP protobuf exports, one per service: user's (1 span) first, as its span ends first,
 * then order's (2 spans) `--gap-ms` later, without waiting for user's answer (the two services
 * export independently). Traces start at a fixed `--rate` per second, not as fast as the backend
 * answers: the point is the cost per span at a moderate rate, not the most it can take.
 *   node --import tsx bench/lib/small-export-client.ts --target URL --rate N --warmup S --seconds S [--gap-ms 2]
 * Prints `MEASURING` when the warm-up ends and one JSON line of results at the end.
 */
import { randomBytes } from 'node:crypto';
import { Agent } from 'node:http';
import { otlpTypes } from '../../packages/cli/src/backend/otlp/index.ts';
import { postExport } from './http-post.ts';
import { percentile } from './stats.ts';
import { buildBatch, type ExportRequestObject } from './span-factory.ts';

/** What the client reports for its measured window. */
export interface SmallExportResult {
  /** Export requests acknowledged in the window. */
  requests: number;
  /** Spans acknowledged in the window. */
  spans: number;
  /** Traces whose parts were all acknowledged in the window. */
  traces: number;
  failures: number;
  seconds: number;
  p50Ms: number;
  p99Ms: number;
  /** Requests still unanswered when a tick came: the backend fell behind the rate. */
  maxOutstanding: number;
  firstFailure?: string;
}

/** The demo's spans of a trace, by exporting service (span names as span-factory's plan has them). */
const DEMO_PARTS = [
  { service: 'user', keep: (name: string, kind: number) => name === 'user.User/GetUser' && kind === 2 },
  { service: 'order', keep: (name: string, kind: number) => (name === 'GET /api/order/:id' && kind === 2) || (name === 'user.User/GetUser' && kind === 3) },
] as const;

/** The demo's two exports of trace `number` (ids from `prefix`), each one service's part. */
export function demoParts(prefix: Uint8Array, number: number, nowMs: number): ExportRequestObject[] {
  const whole = buildBatch({ prefix, firstTrace: number, traces: 1, baseTimeMs: nowMs, spacingMs: 0 });
  return DEMO_PARTS.map(({ service, keep }) => {
    const rs = whole.resourceSpans.find((r) => r.resource.attributes[0]?.value.stringValue === service)!;
    return {
      resourceSpans: [{ resource: rs.resource, scopeSpans: rs.scopeSpans.map((ss) => ({ scope: ss.scope, spans: ss.spans.filter((s) => keep(s.name, s.kind)) })) }],
    };
  });
}

function flag(name: string, fallback?: string): string {
  const i = process.argv.indexOf(`--${name}`);
  const value = i >= 0 ? process.argv[i + 1] : fallback;
  if (value === undefined) throw new Error(`missing --${name}`);
  return value;
}

async function main(): Promise<void> {
  const url = new URL(flag('target'));
  const rate = Number(flag('rate'));
  const warmup = Number(flag('warmup', '2'));
  const seconds = Number(flag('seconds', '10'));
  const gapMs = Number(flag('gap-ms', '2'));
  if (!(rate > 0)) throw new Error('--rate must be a positive number of traces per second');

  // One keep-alive connection pool per service, as each service's exporter has its own.
  const agents = DEMO_PARTS.map(() => new Agent({ keepAlive: true, maxSockets: 8 }));
  const send = (agent: Agent, body: Uint8Array): Promise<void> => postExport(url, agent, 'application/x-protobuf', body);

  let measuring = false;
  let requests = 0;
  let spans = 0;
  let traces = 0;
  let failures = 0;
  let outstanding = 0;
  let maxOutstanding = 0;
  let firstFailure: string | undefined;
  const latencies: number[] = [];
  const inFlight = new Set<Promise<void>>();

  const sendCounted = async (agent: Agent, part: ExportRequestObject): Promise<boolean> => {
    const counted = measuring;
    const body = otlpTypes.ExportTraceServiceRequest.encode(part as never).finish();
    const count = part.resourceSpans[0].scopeSpans[0].spans.length;
    const started = performance.now();
    outstanding++;
    try {
      await send(agent, body);
      if (counted && measuring) {
        requests++;
        spans += count;
        latencies.push(performance.now() - started);
      }
      return counted && measuring;
    } catch (err) {
      if (counted) failures++;
      firstFailure ??= String((err as Error).message ?? err);
      return false;
    } finally {
      outstanding--;
    }
  };

  const prefix = randomBytes(8);
  let number = 0;
  const trace = async (): Promise<void> => {
    const [user, order] = demoParts(prefix, number++, Date.now());
    const first = sendCounted(agents[0], user);
    await new Promise((r) => setTimeout(r, gapMs));
    const [a, b] = await Promise.all([first, sendCounted(agents[1], order)]);
    if (a && b) traces++;
  };

  // Traces start on a fixed schedule: every tick starts those that are due since the last.
  const startedAt = performance.now();
  let due = 0;
  const timer = setInterval(() => {
    maxOutstanding = Math.max(maxOutstanding, outstanding);
    const target = Math.floor(((performance.now() - startedAt) / 1000) * rate);
    for (; due < target; due++) {
      const p = trace();
      inFlight.add(p);
      void p.finally(() => inFlight.delete(p));
    }
  }, 5);

  await new Promise((r) => setTimeout(r, warmup * 1000));
  maxOutstanding = 0;
  measuring = true;
  console.log('MEASURING');
  const windowStart = performance.now();
  await new Promise((r) => setTimeout(r, seconds * 1000));
  measuring = false;
  const elapsed = (performance.now() - windowStart) / 1000;
  clearInterval(timer);
  // Answers still due belong to no window; a backend that fell behind would hold the result up.
  await Promise.race([Promise.all(inFlight), new Promise((r) => setTimeout(r, 2000))]);
  const result: SmallExportResult = {
    requests,
    spans,
    traces,
    failures,
    seconds: elapsed,
    p50Ms: percentile(latencies, 50),
    p99Ms: percentile(latencies, 99),
    maxOutstanding,
    ...(firstFailure ? { firstFailure } : {}),
  };
  console.log(`RESULT ${JSON.stringify(result)}`);
  process.exit(0);
}

if (import.meta.url === `file://${process.argv[1]}`) await main();
