/**
 * A bounded soak: steady batches from several senders over every protocol while a querier
 * searches and reads traces. Senders behave like exporters: a refused batch (503/429/507 or a
 * dropped connection) is retried until acknowledged, so at the end spans sent = spans acked,
 * and the store must hold exactly that many.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { ChildAddresses } from './backend-process.ts';
import { PROTOCOLS, rawGrpcClient, sendBatch, traceIdFor, type Batch } from './traces.ts';

/** Options of {@link runSoak}. */
export interface SoakOptions {
  addresses: ChildAddresses;
  seconds: number;
  /** Distinguishes runs' trace ids. */
  run: number;
  senders?: number;
  spansPerBatch?: number;
  /** Batches per second per sender. */
  rate?: number;
  /** Called every second (e.g. to sample memory). */
  onTick?: () => void;
}

/** What a soak saw. */
export interface SoakReport {
  seconds: number;
  batches: number;
  spansSent: number;
  spansAcked: number;
  /** Sends that had to be repeated (designed overload answers or network errors). */
  retries: number;
  sendStatuses: Record<string, number>;
  queries: number;
  queryStatuses: Record<string, number>;
  /** Slowest query, ms. */
  queryMaxMs: number;
}

const count = (m: Record<string, number>, k: string): void => void (m[k] = (m[k] ?? 0) + 1);

/** Runs the soak for `seconds` (senders then finish the batch in hand). */
export async function runSoak(options: SoakOptions): Promise<SoakReport> {
  const { addresses, seconds } = options;
  const senders = options.senders ?? 4;
  const spansPerBatch = options.spansPerBatch ?? 10;
  const rate = options.rate ?? 10;
  const grpc = rawGrpcClient(addresses.otlpGrpc);
  const targets = { otlpHttp: addresses.otlpHttp, zipkin: addresses.zipkin, grpc };
  const report: SoakReport = { seconds, batches: 0, spansSent: 0, spansAcked: 0, retries: 0, sendStatuses: {}, queries: 0, queryStatuses: {}, queryMaxMs: 0 };
  const deadline = performance.now() + seconds * 1000;
  const acked: Batch[] = [];

  const sender = async (s: number): Promise<void> => {
    for (let n = 0; performance.now() < deadline; n++) {
      const tick = performance.now();
      const batch: Batch = { traceId: traceIdFor(options.run, s, n), spans: spansPerBatch, service: 'soak' };
      const protocol = PROTOCOLS[(s + n) % PROTOCOLS.length]!;
      report.batches++;
      report.spansSent += batch.spans;
      for (;;) {
        const result = await sendBatch(targets, protocol, batch, 30_000);
        count(report.sendStatuses, result.status);
        if (result.acked) break;
        report.retries++;
        await sleep(Math.min(5, result.retryAfterSeconds ?? 0.2) * 1000);
      }
      report.spansAcked += batch.spans;
      acked.push(batch);
      await sleep(Math.max(0, 1000 / rate - (performance.now() - tick)));
    }
  };

  const querier = async (): Promise<void> => {
    const paths = [
      () => `/api/search?q=${encodeURIComponent('{ resource.service.name = "soak" && name = "op-1" }')}&limit=20`,
      () => `/api/search?tags=${encodeURIComponent('service.name=soak')}&minDuration=1ms&limit=20`,
      () => `/api/traces/${acked.length ? acked[Math.floor(Math.random() * acked.length)]!.traceId : '0'.repeat(32)}`,
      () => '/api/v2/search/tag/name/values',
    ];
    for (let i = 0; performance.now() < deadline; i++) {
      const started = performance.now();
      try {
        const res = await fetch(`${addresses.query}${paths[i % paths.length]!()}`, { signal: AbortSignal.timeout(30_000) });
        await res.arrayBuffer();
        count(report.queryStatuses, String(res.status));
      } catch (err) {
        count(report.queryStatuses, `error:${(err as Error).name}`);
      }
      report.queries++;
      report.queryMaxMs = Math.max(report.queryMaxMs, Math.round(performance.now() - started));
      await sleep(50);
    }
  };

  const ticker = setInterval(() => options.onTick?.(), 1000);
  try {
    await Promise.all([...Array.from({ length: senders }, (_, s) => sender(s)), querier()]);
  } finally {
    clearInterval(ticker);
    grpc.close();
  }
  return report;
}
