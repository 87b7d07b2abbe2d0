/**
 * Valid traces for the reliability tests, as each receiver takes them, and a sender per
 * protocol that reports what the backend answered (an ack is a 2xx / gRPC OK).
 */
import * as grpc from '@grpc/grpc-js';
import { TRACE_EXPORT_PATH } from '../../../packages/cli/src/backend/otlp/index.ts';
import { otlpJson, protobufRequest, type ResourceSpec } from '../../../packages/cli/src/backend/otlp/testing/trace-builder.ts';

/** One batch: `spans` spans of one new trace. */
export interface Batch {
  traceId: string;
  spans: number;
  service: string;
}

/** The protocols a batch can travel by. */
export type Protocol = 'otlp-proto' | 'otlp-json' | 'otlp-grpc' | 'zipkin';
export const PROTOCOLS: readonly Protocol[] = ['otlp-proto', 'otlp-json', 'otlp-grpc', 'zipkin'];

/** A trace id (32 hex) unique to `run`, `sender` and `n`. */
export function traceIdFor(run: number, sender: number, n: number): string {
  return `${(run >>> 0).toString(16).padStart(8, '0')}${sender.toString(16).padStart(8, '0')}${n.toString(16).padStart(16, '0')}`;
}

const spanIdHex = (i: number): string => (i + 1).toString(16).padStart(16, '0');

function spanTimes(i: number): { startNs: bigint; endNs: bigint } {
  const startNs = BigInt(Date.now()) * 1_000_000n + BigInt(i) * 1000n;
  return { startNs, endNs: startNs + 2_000_000n };
}

/** The batch as trace-builder specs: a SERVER root and CLIENT children, stamped now. */
function batchSpecs(batch: Batch): ResourceSpec[] {
  const spans = Array.from({ length: batch.spans }, (_, i) => {
    const { startNs, endNs } = spanTimes(i);
    return {
      traceId: batch.traceId,
      spanId: spanIdHex(i),
      parentSpanId: i > 0 ? spanIdHex(0) : undefined,
      name: `op-${i % 5}`,
      kind: i === 0 ? 'SERVER' : 'CLIENT',
      start: startNs,
      end: endNs,
      attributes: { 'span.index': i },
    } as const;
  });
  return [{ service: batch.service, scope: 'reliability', spans }];
}

/** The batch as an OTLP ExportTraceServiceRequest (protobuf). */
export function protobufBody(batch: Batch): Buffer {
  return Buffer.from(protobufRequest(batchSpecs(batch)));
}

/** The batch as OTLP/JSON. */
export function jsonBody(batch: Batch): string {
  return JSON.stringify(otlpJson(batchSpecs(batch)));
}

/** The batch as Zipkin v2 JSON. */
export function zipkinBody(batch: Batch): string {
  return JSON.stringify(
    Array.from({ length: batch.spans }, (_, i) => {
      const { startNs } = spanTimes(i);
      return {
        traceId: batch.traceId,
        id: spanIdHex(i),
        ...(i > 0 ? { parentId: spanIdHex(0) } : {}),
        name: `op-${i % 5}`,
        kind: i === 0 ? 'SERVER' : 'CLIENT',
        timestamp: Number(startNs / 1000n),
        duration: 2000,
        localEndpoint: { serviceName: batch.service },
        tags: { 'span.index': String(i) },
      };
    }),
  );
}

/** What the backend answered. */
export interface SendResult {
  acked: boolean;
  /** HTTP status, or `grpc:<code>`, or `error:<name>` when no answer came. */
  status: string;
  /** From Retry-After (HTTP) when the answer was retryable. */
  retryAfterSeconds?: number;
}

/** A raw OTLP/gRPC client: sends bytes, returns the status code (no decoding on our side). */
export interface RawGrpcClient {
  /** `statusDetails` is the grpc-status-details-bin trailer (google.rpc.Status with RetryInfo) when sent. */
  call(body: Buffer, metadata?: Record<string, string>, timeoutMs?: number): Promise<{ code: number; details: string; statusDetails?: Buffer }>;
  close(): void;
}

export function rawGrpcClient(address: string): RawGrpcClient {
  const client = new grpc.Client(address, grpc.credentials.createInsecure(), { 'grpc.max_send_message_length': 64 * 1024 * 1024 });
  const identity = (b: Buffer): Buffer => b;
  return {
    call(body, metadata = {}, timeoutMs = 30_000) {
      const md = new grpc.Metadata();
      for (const [k, v] of Object.entries(metadata)) md.set(k, v);
      return new Promise((resolve) => {
        client.makeUnaryRequest(TRACE_EXPORT_PATH, identity, identity, body, md, { deadline: Date.now() + timeoutMs }, (err) => {
          if (!err) return resolve({ code: 0, details: '' });
          const [statusDetails] = err.metadata?.get('grpc-status-details-bin') ?? [];
          resolve({ code: err.code, details: err.details, ...(Buffer.isBuffer(statusDetails) ? { statusDetails } : {}) });
        });
      });
    },
    close: () => client.close(),
  };
}

/** Where the senders go. */
export interface Targets {
  otlpHttp: string;
  zipkin: string;
  grpc: RawGrpcClient;
  headers?: Record<string, string>;
}

/** Sends `batch` by `protocol` once. */
export async function sendBatch(targets: Targets, protocol: Protocol, batch: Batch, timeoutMs = 30_000): Promise<SendResult> {
  if (protocol === 'otlp-grpc') {
    const { code } = await targets.grpc.call(protobufBody(batch), targets.headers, timeoutMs);
    return { acked: code === 0, status: `grpc:${code}`, ...(code === 14 || code === 8 ? { retryAfterSeconds: 1 } : {}) };
  }
  const [url, type, body] =
    protocol === 'otlp-proto'
      ? [`${targets.otlpHttp}/v1/traces`, 'application/x-protobuf', new Uint8Array(protobufBody(batch))]
      : protocol === 'otlp-json'
        ? [`${targets.otlpHttp}/v1/traces`, 'application/json', jsonBody(batch)]
        : [`${targets.zipkin}/api/v2/spans`, 'application/json', zipkinBody(batch)];
  try {
    const res = await fetch(url, { method: 'POST', headers: { 'content-type': type, ...targets.headers }, body, signal: AbortSignal.timeout(timeoutMs) });
    await res.arrayBuffer();
    const retry = res.headers.get('retry-after');
    return { acked: res.ok, status: String(res.status), ...(retry ? { retryAfterSeconds: Number(retry) } : {}) };
  } catch (err) {
    return { acked: false, status: `error:${(err as Error).name}` };
  }
}

/** Spans the query API returns for a trace (0 when 404). */
export async function storedSpanCount(query: string, traceId: string, headers: Record<string, string> = {}): Promise<number> {
  const res = await fetch(`${query}/api/traces/${traceId}`, { headers, signal: AbortSignal.timeout(30_000) });
  if (res.status === 404) {
    await res.arrayBuffer();
    return 0;
  }
  if (!res.ok) throw new Error(`GET /api/traces/${traceId}: ${res.status} ${await res.text()}`);
  const body = (await res.json()) as { batches: Array<{ scopeSpans: Array<{ spans: unknown[] }> }> };
  return body.batches.reduce((n, b) => n + b.scopeSpans.reduce((m, s) => m + s.spans.length, 0), 0);
}
