import type * as Grpc from '@grpc/grpc-js';
import type { ExportResponse, IExporterTransport } from '@opentelemetry/otlp-exporter-base';
import type { convertLegacyOtlpGrpcOptions } from '@opentelemetry/otlp-grpc-exporter-base';
import { loadOnUse } from '../../internal/load-on-use.ts';
import { retryDelayMillis } from '../otlp/retry-info.ts';

/** The OTLP trace export method. */
const TRACE_EXPORT_PATH = '/opentelemetry.proto.collector.trace.v1.TraceService/Export';

/**
 * gRPC status codes a client retries (OTLP specification, "OTLP/gRPC Throttling"/"Failures"):
 * CANCELLED, DEADLINE_EXCEEDED, ABORTED, OUT_OF_RANGE, UNAVAILABLE, DATA_LOSS; RESOURCE_EXHAUSTED
 * only when the server says when (RetryInfo), else the collector is out of room for good.
 */
const RETRYABLE_CODES = new Set([1, 4, 10, 11, 14, 15]);
const RESOURCE_EXHAUSTED = 8;
const DEADLINE_EXCEEDED = 4;
/** After this many DEADLINE_EXCEEDED in a row the channel is rebuilt (the official transport's rule). */
const MAX_DEADLINE_EXCEEDED = 5;

const identity = (b: Buffer): Buffer => b;

/** The official exporter's resolved options (its configuration type is not exported). */
type OtlpGrpcConfiguration = ReturnType<typeof convertLegacyOtlpGrpcOptions>;

/**
 * The OTLP/gRPC transport of `Batcher: otlpgrpc` under `Pipeline: fast`: what the official
 * transport of `@opentelemetry/otlp-grpc-exporter-base` does (the same resolved address,
 * credentials, metadata, compression and user agent on one lazily made channel, rebuilt after
 * repeated DEADLINE_EXCEEDED), except that it tells failures the specification calls retryable
 * from final ones, with the server's RetryInfo delay. The official transport (0.223) calls every
 * failure final and nothing retries it, so a collector restart loses the batch in flight; see
 * {@link retryingTransport}. Written by hand because that transport is not exported.
 */
export class OtlpGrpcTransport implements IExporterTransport {
  private client: Grpc.Client | undefined;
  private metadata: Grpc.Metadata | undefined;
  private deadlineExceeded = 0;

  constructor(
    private readonly config: OtlpGrpcConfiguration,
    private readonly userAgent: string,
  ) {}

  send(data: Uint8Array, timeoutMillis: number): Promise<ExportResponse> {
    let client: Grpc.Client;
    let metadata: Grpc.Metadata;
    try {
      ({ client, metadata } = this.channel());
    } catch (error) {
      return Promise.resolve({ status: 'failure', error: error as Error });
    }
    const body = Buffer.from(data.buffer, data.byteOffset, data.byteLength);
    return new Promise((resolve) => {
      client.makeUnaryRequest(TRACE_EXPORT_PATH, identity, identity, body, metadata, { deadline: Date.now() + timeoutMillis }, (err, response) => {
        if (err === null) {
          this.deadlineExceeded = 0;
          resolve({ status: 'success', data: response });
          return;
        }
        if (err.code === DEADLINE_EXCEEDED && ++this.deadlineExceeded > MAX_DEADLINE_EXCEEDED) this.shutdown();
        resolve(failure(err));
      });
    });
  }

  shutdown(): void {
    this.client?.close();
    this.client = undefined;
  }

  private channel(): { client: Grpc.Client; metadata: Grpc.Metadata } {
    if (this.client !== undefined && this.metadata !== undefined) return { client: this.client, metadata: this.metadata };
    // Loaded on the first export, as the official transport does: instrumentations patch
    // grpc-js before the exporter holds it.
    const grpc = loadOnUse('@grpc/grpc-js') as typeof Grpc;
    const metadata = this.config.metadata();
    const client = new grpc.Client(this.config.url, this.config.credentials(), {
      'grpc.default_compression_algorithm': this.config.compression === 'gzip' ? grpc.compressionAlgorithms.gzip : grpc.compressionAlgorithms.identity,
      'grpc.primary_user_agent': this.userAgent,
    });
    this.metadata = metadata;
    this.client = client;
    this.deadlineExceeded = 0;
    return { client, metadata };
  }
}

/** A failed call as the export delegate's answer: retryable (with the server's delay) or final. */
function failure(err: Grpc.ServiceError): ExportResponse {
  const details = err.metadata?.get('grpc-status-details-bin')[0];
  const delay = retryDelayMillis(typeof details === 'string' ? undefined : details);
  if (RETRYABLE_CODES.has(err.code) || (err.code === RESOURCE_EXHAUSTED && delay !== undefined)) {
    return delay === undefined ? { status: 'retryable', error: err } : { status: 'retryable', retryInMillis: delay, error: err };
  }
  return { status: 'failure', error: err };
}
