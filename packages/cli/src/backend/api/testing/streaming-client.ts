/**
 * A real gRPC client of Tempo's `tempopb.StreamingQuerier`, built by @grpc/proto-loader from
 * proto/tempo.proto, for tests of the streaming API (unit and e2e). Messages come out as
 * proto-loader decodes them: 64-bit integers as decimal strings, absent fields as defaults.
 */
import * as grpc from '@grpc/grpc-js';
import { loadSync } from '@grpc/proto-loader';
import { STREAMING_QUERIER, TEMPO_PROTO_FILE, TEMPO_PROTO_OPTIONS } from '../grpc/index.ts';

/** The StreamingQuerier's methods. */
export type StreamingMethod =
  | 'Search'
  | 'SearchTags'
  | 'SearchTagsV2'
  | 'SearchTagValues'
  | 'SearchTagValuesV2'
  | 'MetricsQueryRange'
  | 'MetricsQueryInstant';

/** Everything one call produced: its messages in order, and its status when it failed. */
export interface StreamResult<T = Record<string, unknown>> {
  messages: T[];
  error?: { code: grpc.status; details: string };
}

const packageDefinition = loadSync(TEMPO_PROTO_FILE, TEMPO_PROTO_OPTIONS);

/** A client for `host:port` (plaintext, as Grafana dials an http:// data source URL). */
export function streamingClient(address: string): grpc.Client {
  const Client = grpc.makeGenericClientConstructor(packageDefinition[STREAMING_QUERIER] as grpc.ServiceDefinition, 'StreamingQuerier');
  return new Client(address, grpc.credentials.createInsecure());
}

/** Runs one call and collects what it streamed. `headers` become call metadata, as Grafana sends them. */
export function collectStream<T = Record<string, unknown>>(
  client: grpc.Client,
  method: StreamingMethod,
  request: object,
  headers: Record<string, string> = {},
): Promise<StreamResult<T>> {
  const metadata = new grpc.Metadata();
  for (const [key, value] of Object.entries(headers)) metadata.set(key, value);
  const call = (client as unknown as Record<string, (req: object, md: grpc.Metadata) => grpc.ClientReadableStream<T>>)[method]!.call(
    client,
    request,
    metadata,
  );
  const messages: T[] = [];
  return new Promise((resolve) => {
    call.on('data', (message: T) => messages.push(message));
    call.on('error', (err: grpc.ServiceError) => resolve({ messages, error: { code: err.code, details: err.details } }));
    call.on('end', () => resolve({ messages }));
  });
}

/**
 * `value` (an answer in Tempo's JSON, e.g. from the HTTP API) encoded and decoded as `method`'s
 * response message: what the same answer looks like when it arrives over gRPC.
 */
export function asStreamedMessage(method: StreamingMethod, value: unknown): Record<string, unknown> {
  const definition = (packageDefinition[STREAMING_QUERIER] as grpc.ServiceDefinition)[method]!;
  return definition.responseDeserialize(definition.responseSerialize(value)) as Record<string, unknown>;
}
