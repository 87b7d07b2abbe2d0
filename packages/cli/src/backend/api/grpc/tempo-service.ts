/**
 * Tempo's `tempopb.StreamingQuerier` service, loaded from ../proto/tempo.proto, and the request
 * messages as the server receives them (proto-loader's decoding: camelCase names as the .proto
 * spells them, 64-bit integers as decimal strings, absent fields filled with their defaults).
 */
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as grpc from '@grpc/grpc-js';
import { loadSync, type Options } from '@grpc/proto-loader';

const here = dirname(fileURLToPath(import.meta.url));
/** tempo.proto, and the folder of the OTLP schemas it imports. */
export const TEMPO_PROTO_FILE = join(here, '..', 'proto', 'tempo.proto');
export const TEMPO_PROTO_INCLUDE_DIRS: readonly string[] = [join(here, '..', 'proto'), join(here, '..', '..', 'otlp', 'proto')];

/** How the messages are decoded and encoded (the same flags src/rpc uses for its services). */
export const TEMPO_PROTO_OPTIONS: Readonly<Options> = Object.freeze({
  keepCase: false,
  longs: String,
  enums: String,
  defaults: true,
  oneofs: true,
  includeDirs: [...TEMPO_PROTO_INCLUDE_DIRS],
});

/** The service's full name; its method paths are `/tempopb.StreamingQuerier/<Method>`. */
export const STREAMING_QUERIER = 'tempopb.StreamingQuerier';

/** `tempopb.SearchRequest`; start/end in unix seconds (0: not given). */
export interface SearchRequestMessage {
  Tags: Record<string, string>;
  MinDurationMs: number;
  MaxDurationMs: number;
  Limit: number;
  start: number;
  end: number;
  Query: string;
  SpansPerSpanSet: number;
}

/** `tempopb.SearchTagsRequest`. */
export interface SearchTagsRequestMessage {
  scope: string;
  query: string;
  start: number;
  end: number;
  maxTagsPerScope: number;
  staleValuesThreshold: number;
}

/** `tempopb.SearchTagValuesRequest`. */
export interface SearchTagValuesRequestMessage {
  tagName: string;
  query: string;
  start: number;
  end: number;
  maxTagValues: number;
  staleValueThreshold: number;
}

/** `tempopb.QueryRangeRequest`; start, end and step in nanoseconds, as decimal strings. */
export interface QueryRangeRequestMessage {
  query: string;
  start: string;
  end: string;
  step: string;
  queryMode: string;
  exemplars: number;
  maxSeries: number;
  instant?: boolean;
}

/** `tempopb.QueryInstantRequest`; start and end in nanoseconds, as decimal strings. */
export interface QueryInstantRequestMessage {
  query: string;
  start: string;
  end: string;
}

/** The service as the server registers it, and the response encoder its handlers use. */
export interface StreamingQuerierService {
  /**
   * The service definition, its responses taken as already encoded bytes: the handlers encode
   * with {@link StreamingQuerierService.encode} themselves, so an answer that does not fit its
   * message fails in the handler (reported, answered INTERNAL) instead of inside grpc-js, which
   * would end the call without ever settling the write.
   */
  definition: grpc.ServiceDefinition;
  /** Encodes `message` as the response of `method`; throws when it does not fit the message. */
  encode(method: string, message: unknown): Buffer;
}

let service: StreamingQuerierService | undefined;

/** The StreamingQuerier service, loaded once. */
export function streamingQuerierService(): StreamingQuerierService {
  if (!service) {
    const loaded = loadSync(TEMPO_PROTO_FILE, TEMPO_PROTO_OPTIONS)[STREAMING_QUERIER] as grpc.ServiceDefinition;
    const definition: grpc.ServiceDefinition = Object.fromEntries(
      Object.entries(loaded).map(([method, attrs]) => [method, { ...attrs, responseSerialize: (bytes: Buffer) => bytes }]),
    );
    service = {
      definition,
      encode(method, message) {
        const attrs = loaded[method];
        if (!attrs) throw new Error(`no method ${method} in ${STREAMING_QUERIER}`);
        return attrs.responseSerialize(message);
      },
    };
  }
  return service;
}
