/** Shared fixtures of the receiver tests: valid bodies, a raw HTTP client and a gRPC client. */
import { request } from 'node:http';
import { after, before } from 'node:test';
import * as grpc from '@grpc/grpc-js';
import { otlpJson, protobufRequest } from '../../otlp/testing/trace-builder.ts';

export const TRACE_ID = '5b8efff798038103d269b633813fc60c';
export const SPAN_ID = 'eee19b7ec3c1b174';

/** A one-span request as OTLP/JSON text. */
export function validJson(name = 'op'): string {
  return JSON.stringify(otlpJson([{ service: 'svc', spans: [{ traceId: TRACE_ID, spanId: SPAN_ID, name, start: 1n, end: 2n }] }]));
}

/** The same request as protobuf bytes. */
export function validProtobuf(name = 'op'): Buffer {
  return Buffer.from(protobufRequest([{ service: 'svc', spans: [{ traceId: TRACE_ID, spanId: SPAN_ID, name, start: 1n, end: 2n }] }]));
}

export interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

/** Sends one request with exactly these headers and body (chunked when no content-length is given). */
export function send(
  port: number,
  options: { method?: string; path?: string; headers?: Record<string, string>; body?: Buffer | string; chunked?: boolean },
): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const body = options.body === undefined ? Buffer.alloc(0) : Buffer.from(options.body);
    const headers: Record<string, string> = { ...options.headers };
    if (!options.chunked) headers['content-length'] = String(body.length);
    const req = request(
      { host: '127.0.0.1', port, method: options.method ?? 'POST', path: options.path ?? '/v1/traces', headers },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
        res.on('error', reject);
      },
    );
    // The server may answer before reading a refused body; a write error after that is fine.
    req.on('error', reject);
    if (options.chunked) {
      const step = 1024 * 1024;
      for (let i = 0; i < body.length; i += step) req.write(body.subarray(i, i + step));
      req.end();
    } else {
      req.end(body);
    }
  });
}

/** What a raw gRPC Export call got back. */
export interface ExportCallResult {
  error: grpc.ServiceError | null;
  response?: Buffer;
}

/** One unary call of `path` with raw bytes in and out, as an OTLP exporter makes it. */
export function grpcExportCall(client: grpc.Client, path: string, body: Uint8Array, metadata = new grpc.Metadata()): Promise<ExportCallResult> {
  return new Promise((resolve) => {
    client.makeUnaryRequest(path, (b: Buffer) => b, (b: Buffer) => b, Buffer.from(body), metadata, (error, response) =>
      resolve({ error, response }),
    );
  });
}

/**
 * Starts `receiver` before the suite and connects a gRPC client to it; closes both after. The
 * client exists once the suite's `before` hooks have run.
 */
export function grpcClientOf(receiver: { start(): Promise<{ port: number }>; stop(): Promise<void> }): () => grpc.Client {
  let client: grpc.Client | undefined;
  before(async () => {
    const { port } = await receiver.start();
    client = new grpc.Client(`127.0.0.1:${port}`, grpc.credentials.createInsecure());
  });
  after(async () => {
    client?.close();
    await receiver.stop();
  });
  return () => client!;
}
