/**
 * Test receivers for the protocols the agent exports: OTLP/HTTP (protobuf or JSON), OTLP/gRPC and
 * Zipkin v2 JSON. Each listens on 127.0.0.1:0 and records what arrived, decoded with the OTLP schema
 * in src/backend/otlp/proto, so tests can assert on span names and the service that sent them.
 */
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type RequestListener, type Server as HttpServer } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { gunzipSync } from 'node:zlib';
import type { AddressInfo, Socket } from 'node:net';
import { fileURLToPath } from 'node:url';
import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';
import protobuf from 'protobufjs';
import { eventually } from '../../../../../test/lib/eventually.ts';

const PROTO_DIR = fileURLToPath(new URL('../../../../cli/src/backend/otlp/proto/', import.meta.url));
const TRACE_SERVICE_PROTO = `${PROTO_DIR}trace_service.proto`;

/** A span as a receiver saw it: enough to check what was sent, by whom. */
export interface ReceivedSpan {
  name: string;
  service?: string;
  traceId?: string;
  /** Hex span id, and the parent's (absent for a root span). */
  spanId?: string;
  parentSpanId?: string;
  /** OTLP span kind: 1 internal, 2 server, 3 client, 4 producer, 5 consumer (absent from Zipkin). */
  kind?: number;
  /** Every string/number/boolean attribute of the span (OTLP receivers). */
  attributes?: Record<string, string | number | boolean>;
  /** Its events and links with their attributes (OTLP receivers). */
  events?: { name: string; attributes: Record<string, string | number | boolean> }[];
  links?: { attributes: Record<string, string | number | boolean> }[];
  /** Every string/number/boolean attribute of the span's resource. */
  resource?: Record<string, string | number | boolean>;
}

/**
 * TLS for a receiver: its certificate and key, and — to demand a client certificate — the CA that
 * must have signed it.
 */
export interface ReceiverTls {
  cert: Buffer | string;
  key: Buffer | string;
  clientCa?: Buffer | string;
}

/** Options of the receivers that may speak TLS. */
export interface ReceiverOptions {
  tls?: ReceiverTls;
}

/** One request that reached a receiver. */
export interface ReceivedExport {
  path: string;
  /** `content-encoding` of the body (e.g. gzip), which the receiver undid before decoding. */
  contentEncoding?: string;
  /** HTTP headers, or gRPC metadata for the gRPC receiver. */
  headers: Record<string, string | string[] | undefined>;
  contentType?: string;
  spans: ReceivedSpan[];
}

/** A running test receiver. */
export interface TestReceiver {
  /** `127.0.0.1:<port>`, the go-zero style Endpoint. */
  endpoint: string;
  port: number;
  exports: ReceivedExport[];
  /** TCP connections accepted so far (HTTP receivers only; the gRPC one counts calls). */
  connections(): number;
  spans(): ReceivedSpan[];
  /** Resolves once at least `count` spans arrived; rejects after `timeoutMs`. */
  waitForSpans(count: number, timeoutMs?: number): Promise<ReceivedSpan[]>;
  close(): Promise<void>;
}

let requestType: protobuf.Type | undefined;
function exportRequestType(): protobuf.Type {
  requestType ??= protobuf.loadSync(TRACE_SERVICE_PROTO).lookupType('opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest');
  return requestType;
}

type OtlpValue = { stringValue?: string; intValue?: string | number; doubleValue?: number; boolValue?: boolean };
type OtlpAttribute = { key: string; value?: OtlpValue };
type OtlpSpan = {
  name: string;
  kind?: number | string;
  traceId?: unknown;
  spanId?: unknown;
  parentSpanId?: unknown;
  attributes?: OtlpAttribute[];
  events?: { name: string; attributes?: OtlpAttribute[] }[];
  links?: { attributes?: OtlpAttribute[] }[];
};

/** OTLP key-values as a plain record (scalars only). */
function attributeRecord(list: OtlpAttribute[] | undefined): Record<string, string | number | boolean> {
  const out: Record<string, string | number | boolean> = {};
  for (const a of list ?? []) {
    const v = a.value;
    const value = v?.stringValue ?? v?.boolValue ?? v?.doubleValue ?? (v?.intValue === undefined ? undefined : Number(v.intValue));
    if (value !== undefined) out[a.key] = value;
  }
  return out;
}

/** Spans out of an ExportTraceServiceRequest in protobuf-JSON/proto-loader shape (camelCase). */
function otlpSpans(request: unknown): ReceivedSpan[] {
  const out: ReceivedSpan[] = [];
  const rs = (request as { resourceSpans?: unknown[] }).resourceSpans ?? [];
  for (const r of rs as { resource?: { attributes?: OtlpAttribute[] }; scopeSpans?: { spans?: OtlpSpan[] }[] }[]) {
    const resource = attributeRecord(r.resource?.attributes);
    const service = typeof resource['service.name'] === 'string' ? resource['service.name'] : undefined;
    for (const ss of r.scopeSpans ?? []) {
      for (const s of ss.spans ?? []) {
        out.push({
          name: s.name,
          service,
          kind: s.kind === undefined ? undefined : Number(s.kind),
          traceId: hexId(s.traceId),
          spanId: hexId(s.spanId),
          parentSpanId: hexId(s.parentSpanId),
          attributes: attributeRecord(s.attributes),
          events: (s.events ?? []).map((e) => ({ name: e.name, attributes: attributeRecord(e.attributes) })),
          links: (s.links ?? []).map((l) => ({ attributes: attributeRecord(l.attributes) })),
          resource,
        });
      }
    }
  }
  return out;
}

/** An id as hex: OTLP/JSON carries hex strings, protobuf bytes. Empty (no parent) is undefined. */
function hexId(id: unknown): string | undefined {
  const hex = typeof id === 'string' ? id : id ? Buffer.from(id as Uint8Array).toString('hex') : '';
  return hex === '' ? undefined : hex;
}

function decodeOtlpHttp(body: Buffer, contentType: string | undefined): ReceivedSpan[] {
  if (contentType?.includes('json')) return otlpSpans(JSON.parse(body.toString('utf8')));
  const type = exportRequestType();
  return otlpSpans(type.toObject(type.decode(body), { longs: String }));
}

function decodeZipkin(body: Buffer): ReceivedSpan[] {
  const spans = JSON.parse(body.toString('utf8')) as { name: string; traceId: string; id?: string; parentId?: string; localEndpoint?: { serviceName?: string } }[];
  return spans.map((s) => ({ name: s.name, service: s.localEndpoint?.serviceName, traceId: s.traceId, spanId: s.id, parentSpanId: s.parentId }));
}

/** The request body, gunzipped when the sender said `content-encoding: gzip`. */
function requestBody(req: IncomingMessage, chunks: Buffer[]): Buffer {
  const body = Buffer.concat(chunks);
  return req.headers['content-encoding'] === 'gzip' ? gunzipSync(body) : body;
}

/** A plain HTTP server, or HTTPS with `tls` (demanding a client certificate when it names a client CA). */
function httpServer(handler: RequestListener, tls: ReceiverTls | undefined): HttpServer {
  if (!tls) return createServer(handler);
  const clientAuth = tls.clientCa === undefined ? {} : { ca: tls.clientCa, requestCert: true, rejectUnauthorized: true };
  return createHttpsServer({ cert: tls.cert, key: tls.key, ...clientAuth }, handler) as unknown as HttpServer;
}

function receiver(port: number, exports: ReceivedExport[], connections: () => number, close: () => Promise<void>): TestReceiver {
  const spans = () => exports.flatMap((e) => e.spans);
  return {
    endpoint: `127.0.0.1:${port}`,
    port,
    exports,
    connections,
    spans,
    waitForSpans: (count, timeoutMs) =>
      eventually(() => `${count} spans, got ${spans().length}`, () => spans().length >= count && spans(), { timeoutMs, pollMs: 20 }),
    close,
  };
}

/**
 * Listens on a free loopback port and makes `server` a receiver of `exports`, counting the TCP
 * connections it accepts (TLS servers see the raw connection too, before the handshake).
 */
async function listeningReceiver(server: HttpServer, exports: ReceivedExport[]): Promise<TestReceiver> {
  const sockets = new Set<Socket>();
  let connections = 0;
  server.on('connection', (socket: Socket) => {
    connections++;
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return receiver(port, exports, () => connections, async () => {
    for (const s of sockets) s.destroy();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });
}

async function startHttp(decode: (body: Buffer, contentType?: string) => ReceivedSpan[], reply: string, tls?: ReceiverTls): Promise<TestReceiver> {
  const exports: ReceivedExport[] = [];
  const server = httpServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const contentType = req.headers['content-type'];
      try {
        const contentEncoding = req.headers['content-encoding'];
        exports.push({ path: req.url ?? '', headers: req.headers as IncomingHttpHeaders, contentType, contentEncoding, spans: decode(requestBody(req, chunks), contentType) });
        res.writeHead(200, { 'content-type': reply }).end(reply.includes('json') ? '{}' : undefined);
      } catch (err) {
        res.writeHead(400).end(String(err));
      }
    });
  }, tls);
  return listeningReceiver(server, exports);
}

/**
 * An OTLP/HTTP receiver (any path, protobuf or JSON bodies, gzip or not) answering 200 with an
 * empty protobuf response; HTTPS with `options.tls`.
 */
export function startOtlpHttpReceiver(options: ReceiverOptions = {}): Promise<TestReceiver> {
  return startHttp(decodeOtlpHttp, 'application/x-protobuf', options.tls);
}

/** A Zipkin v2 JSON receiver (any path). */
export function startZipkinReceiver(): Promise<TestReceiver> {
  return startHttp(decodeZipkin, 'application/json');
}

/**
 * An OTLP/gRPC receiver implementing TraceService/Export; `headers` holds each call's metadata
 * (`grpc-encoding` included, so a test sees compression). TLS with `options.tls`.
 */
export async function startOtlpGrpcReceiver(options: ReceiverOptions = {}): Promise<TestReceiver> {
  const definition = protoLoader.loadSync(TRACE_SERVICE_PROTO, { includeDirs: [PROTO_DIR], longs: String });
  const pkg = grpc.loadPackageDefinition(definition) as unknown as {
    opentelemetry: { proto: { collector: { trace: { v1: { TraceService: grpc.ServiceClientConstructor } } } } };
  };
  const exports: ReceivedExport[] = [];
  const server = new grpc.Server();
  server.addService(pkg.opentelemetry.proto.collector.trace.v1.TraceService.service, {
    Export(call: grpc.ServerUnaryCall<unknown, unknown>, callback: grpc.sendUnaryData<unknown>) {
      exports.push({ path: '/opentelemetry.proto.collector.trace.v1.TraceService/Export', headers: metadataHeaders(call.metadata), spans: otlpSpans(call.request) });
      callback(null, {});
    },
  });
  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync('127.0.0.1:0', grpcCredentials(options.tls), (err, p) => (err ? reject(err) : resolve(p))),
  );
  return receiver(port, exports, () => exports.length, async () => {
    server.forceShutdown();
  });
}

function grpcCredentials(tls: ReceiverTls | undefined): grpc.ServerCredentials {
  if (!tls) return grpc.ServerCredentials.createInsecure();
  const ca = tls.clientCa === undefined ? null : Buffer.from(tls.clientCa);
  return grpc.ServerCredentials.createSsl(ca, [{ cert_chain: Buffer.from(tls.cert), private_key: Buffer.from(tls.key) }], ca !== null);
}

function metadataHeaders(metadata: grpc.Metadata): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(metadata.getMap())) out[k] = String(v);
  return out;
}

/** How a {@link FaultyReceiver} answers: normally, with an error status (and headers), or never. */
export type FaultMode = { kind: 'ok' } | { kind: 'status'; status: number; headers?: Record<string, string> } | { kind: 'hang' };

/** An OTLP/HTTP receiver whose behaviour a test switches at will. */
export interface FaultyReceiver extends TestReceiver {
  /** Requests that arrived, whatever the answer. */
  requests(): number;
  /** Changes how the following requests are answered (hanging ones stay hung until close). */
  setMode(mode: FaultMode): void;
}

/**
 * An OTLP/HTTP receiver for failure tests: answers 200 (recording the spans) in mode `ok`, a given
 * status in mode `status` (e.g. 503 with `Retry-After`), or accepts the request and never answers
 * in mode `hang`. Starts in `mode`.
 */
export async function startFaultyOtlpHttpReceiver(mode: FaultMode = { kind: 'ok' }): Promise<FaultyReceiver> {
  const exports: ReceivedExport[] = [];
  let current = mode;
  let requests = 0;
  const server: HttpServer = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      requests++;
      const m = current;
      if (m.kind === 'hang') return;
      if (m.kind === 'status') {
        res.writeHead(m.status, m.headers).end();
        return;
      }
      const contentType = req.headers['content-type'];
      exports.push({ path: req.url ?? '', headers: req.headers as IncomingHttpHeaders, contentType, spans: decodeOtlpHttp(Buffer.concat(chunks), contentType) });
      res.writeHead(200, { 'content-type': 'application/x-protobuf' }).end();
    });
  });
  const base = await listeningReceiver(server, exports);
  return { ...base, requests: () => requests, setMode: (m) => void (current = m) };
}

/** How a {@link FaultyGrpcReceiver} answers a call: normally, with a gRPC status (and RetryInfo), or never. */
export type GrpcFaultMode = { kind: 'ok' } | { kind: 'status'; code: grpc.status; retryDelayMs?: number } | { kind: 'hang' };

/** An OTLP/gRPC receiver whose answers a test scripts. */
export interface FaultyGrpcReceiver extends TestReceiver {
  /** Calls that arrived, whatever the answer. */
  requests(): number;
  /** The answers to the following calls, one each; the last one stays. */
  setModes(...modes: GrpcFaultMode[]): void;
}

/**
 * An OTLP/gRPC TraceService/Export receiver for failure tests: records the spans of the calls it
 * answers OK, fails others with a status (`retryDelayMs` adds a `google.rpc.RetryInfo` detail,
 * the way a collector says when to come back), or never answers them.
 */
export async function startFaultyOtlpGrpcReceiver(...modes: GrpcFaultMode[]): Promise<FaultyGrpcReceiver> {
  const exports: ReceivedExport[] = [];
  let script: GrpcFaultMode[] = modes.length > 0 ? modes : [{ kind: 'ok' }];
  let requests = 0;
  const raw = (b: Buffer): Buffer => b;
  const server = new grpc.Server();
  server.addService(
    { Export: { path: '/opentelemetry.proto.collector.trace.v1.TraceService/Export', requestStream: false, responseStream: false, requestSerialize: raw, requestDeserialize: raw, responseSerialize: raw, responseDeserialize: raw } },
    {
      Export(call: grpc.ServerUnaryCall<Buffer, Buffer>, callback: grpc.sendUnaryData<Buffer>) {
        requests++;
        const mode = script.length > 1 ? script.shift()! : script[0]!;
        if (mode.kind === 'hang') return;
        if (mode.kind === 'status') {
          const metadata = new grpc.Metadata();
          if (mode.retryDelayMs !== undefined) metadata.set('grpc-status-details-bin', statusWithRetryInfo(mode.code, mode.retryDelayMs));
          callback({ code: mode.code, details: 'scripted failure', metadata });
          return;
        }
        const type = exportRequestType();
        exports.push({ path: '/opentelemetry.proto.collector.trace.v1.TraceService/Export', headers: metadataHeaders(call.metadata), spans: otlpSpans(type.toObject(type.decode(call.request), { longs: String })) });
        callback(null, Buffer.alloc(0));
      },
    },
  );
  const port = await new Promise<number>((resolve, reject) => server.bindAsync('127.0.0.1:0', grpc.ServerCredentials.createInsecure(), (err, p) => (err ? reject(err) : resolve(p))));
  const base = receiver(port, exports, () => requests, async () => void server.forceShutdown());
  return { ...base, requests: () => requests, setModes: (...next) => void (script = next) };
}

/** A `google.rpc.Status` with one `google.rpc.RetryInfo` detail, encoded with protobufjs's writer. */
function statusWithRetryInfo(code: number, delayMs: number): Buffer {
  const duration = protobuf.Writer.create().uint32(8).int64(Math.floor(delayMs / 1000)).uint32(16).int32((delayMs % 1000) * 1e6).finish();
  const retryInfo = protobuf.Writer.create().uint32(10).bytes(duration).finish();
  const any = protobuf.Writer.create().uint32(10).string('type.googleapis.com/google.rpc.RetryInfo').uint32(18).bytes(retryInfo).finish();
  return Buffer.from(protobuf.Writer.create().uint32(8).int32(code).uint32(18).string('scripted failure').uint32(26).bytes(any).finish());
}
