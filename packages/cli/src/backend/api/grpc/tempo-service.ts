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

let definition: grpc.ServiceDefinition | undefined;

/** The StreamingQuerier service definition, loaded once. */
export function streamingQuerierDefinition(): grpc.ServiceDefinition {
  if (!definition) {
    const pkg = loadSync(TEMPO_PROTO_FILE, TEMPO_PROTO_OPTIONS);
    definition = pkg[STREAMING_QUERIER] as grpc.ServiceDefinition;
  }
  return definition;
}
