/**
 * Runs a fuzz campaign against a running backend: N generated payloads from a seed, with a valid
 * batch every `validEvery` payloads, a few in flight at once. Every answer must be a 2xx or 4xx
 * (or 429/503/507, the designed overload answers); no request may hang; every valid batch
 * acknowledged must be stored in full.
 */
import type { ChildAddresses } from './backend-process.ts';
import { generatePayload, type FuzzPayload, type FuzzTarget } from './fuzz-payloads.ts';
import { createRng } from '../../lib/random.ts';
import { PROTOCOLS, rawGrpcClient, sendBatch, storedSpanCount, traceIdFor, type Batch, type RawGrpcClient } from './traces.ts';

/** Options of {@link runFuzz}. */
export interface FuzzOptions {
  addresses: ChildAddresses;
  seed: number;
  /** Generated payloads to send (valid batches come on top). */
  count: number;
  /** Index of the first payload (default 0): a campaign can be split into parts with the same seed. */
  start?: number;
  concurrency?: number;
  validEvery?: number;
  /** A request not answered within this is a hang. */
  timeoutMs?: number;
}

/** A reply outside the allowed set. */
export interface FuzzViolation {
  index: number;
  target: FuzzTarget | 'valid';
  kind: string;
  status: string;
  detail?: string;
}

/** What a campaign saw. */
export interface FuzzReport {
  seed: number;
  payloads: number;
  /** Per target: payloads tried and statuses seen. */
  targets: Record<string, { tried: number; statuses: Record<string, number> }>;
  kinds: Record<string, number>;
  /** Total ms spent waiting for answers, per `target/kind` (to see what is slow). */
  kindMs: Record<string, number>;
  violations: FuzzViolation[];
  validBatches: number;
  validSpans: number;
  /** Valid batches acknowledged but not (fully) stored. */
  validMissing: string[];
  /**
   * Sends reset on a reused keep-alive connection and answered on a retry: the HTTP/1.1 race
   * of a server closing an idle socket as the client reuses it (more frequent on a loaded box).
   */
  connectionRetries: number;
  durationMs: number;
}

const HTTP_OK = (status: number): boolean => (status >= 200 && status < 300) || (status >= 400 && status < 500) || status === 503 || status === 507;
/** OK, INVALID_ARGUMENT, RESOURCE_EXHAUSTED, UNAVAILABLE (overload), UNAUTHENTICATED. */
const GRPC_OK = new Set([0, 3, 8, 14, 16]);

async function sendPayload(p: FuzzPayload, addresses: ChildAddresses, grpc: RawGrpcClient, timeoutMs: number): Promise<{ status: string; allowed: boolean; detail?: string }> {
  if (p.target === 'otlp-grpc') {
    const { code, details } = await grpc.call(p.body, {}, timeoutMs);
    return { status: `grpc:${code}`, allowed: GRPC_OK.has(code), detail: details };
  }
  const url =
    p.target === 'query'
      ? `${addresses.query}${p.path}`
      : p.target === 'zipkin'
        ? `${addresses.zipkin}/api/v2/spans`
        : `${addresses.otlpHttp}${p.target === 'otlp-http-logs' ? '/v1/logs' : '/v1/traces'}`;
  try {
    const init: RequestInit =
      p.target === 'query'
        ? { method: p.method, signal: AbortSignal.timeout(timeoutMs) }
        : { method: 'POST', headers: p.headers, body: typeof p.body === 'string' ? p.body : new Uint8Array(p.body), signal: AbortSignal.timeout(timeoutMs) };
    const res = await fetch(url, init);
    const body = await res.text();
    return { status: String(res.status), allowed: HTTP_OK(res.status), detail: res.status >= 500 ? body.slice(0, 300) : undefined };
  } catch (err) {
    return { status: `error:${(err as Error).name}`, allowed: false, detail: String((err as Error).cause ?? (err as Error).message) };
  }
}

/** Runs the campaign; never throws for a bad answer (they are in `violations`). */
export async function runFuzz(options: FuzzOptions): Promise<FuzzReport> {
  const { addresses, seed } = options;
  const start = options.start ?? 0;
  const end = start + options.count;
  const concurrency = options.concurrency ?? 8;
  const validEvery = options.validEvery ?? 40;
  const timeoutMs = options.timeoutMs ?? 30_000;
  const grpc = rawGrpcClient(addresses.otlpGrpc);
  const report: FuzzReport = { seed, payloads: 0, targets: {}, kinds: {}, kindMs: {}, violations: [], validBatches: 0, validSpans: 0, validMissing: [], connectionRetries: 0, durationMs: 0 };
  const acked: Batch[] = [];
  const started = performance.now();
  let next = start;

  const worker = async (): Promise<void> => {
    for (let i = next++; i < end; i = next++) {
      const payload = generatePayload(createRng((seed ^ Math.imul(i + 1, 2654435761)) >>> 0), i);
      const sentAt = performance.now();
      let result = await sendPayload(payload, addresses, grpc, timeoutMs);
      if (result.status.startsWith('error:') && /ECONNRESET|EPIPE|UND_ERR_SOCKET|other side closed/.test(result.detail ?? '')) {
        report.connectionRetries++;
        result = await sendPayload(payload, addresses, grpc, timeoutMs);
      }
      const key = `${payload.target}/${payload.kind}`;
      report.kindMs[key] = Math.round((report.kindMs[key] ?? 0) + performance.now() - sentAt);
      report.payloads++;
      const t = (report.targets[payload.target] ??= { tried: 0, statuses: {} });
      t.tried++;
      t.statuses[result.status] = (t.statuses[result.status] ?? 0) + 1;
      report.kinds[`${payload.target}/${payload.kind}`] = (report.kinds[`${payload.target}/${payload.kind}`] ?? 0) + 1;
      if (!result.allowed) report.violations.push({ index: i, target: payload.target, kind: payload.kind, status: result.status, detail: result.detail });
      if (i % validEvery === 0) {
        const n = i / validEvery;
        const batch: Batch = { traceId: traceIdFor(seed, 0xf0, n), spans: 1 + (n % 7), service: 'fuzz-valid' };
        const protocol = PROTOCOLS[n % PROTOCOLS.length]!;
        // Valid data is retried through designed overload answers, as an exporter would.
        for (let attempt = 0; attempt < 20; attempt++) {
          const sent = await sendBatch({ otlpHttp: addresses.otlpHttp, zipkin: addresses.zipkin, grpc }, protocol, batch, timeoutMs);
          if (sent.acked) {
            acked.push(batch);
            break;
          }
          if (!['503', '429', 'grpc:14'].includes(sent.status)) {
            report.violations.push({ index: i, target: 'valid', kind: protocol, status: sent.status });
            break;
          }
          await new Promise((r) => setTimeout(r, 200));
        }
      }
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  report.validBatches = acked.length;
  report.validSpans = acked.reduce((n, b) => n + b.spans, 0);
  for (let i = 0; i < acked.length; i += 16) {
    await Promise.all(
      acked.slice(i, i + 16).map(async (b) => {
        const n = await storedSpanCount(addresses.query, b.traceId);
        if (n !== b.spans) report.validMissing.push(`${b.traceId}: ${n}/${b.spans}`);
      }),
    );
  }
  grpc.close();
  report.durationMs = Math.round(performance.now() - started);
  return report;
}
