/**
 * Tempo's gRPC streaming query API (`tempopb.StreamingQuerier`) over the query API's own
 * contracts. Every call is translated into the parameters of the matching HTTP route and answered
 * by the same code (search, tag names, tag values, TraceQL metrics), so the two transports cannot
 * drift apart. Connections arrive through `injectConnection` (see connection-router.ts): the
 * server never binds a port of its own.
 */
import type { Duplex } from 'node:stream';
import * as grpc from '@grpc/grpc-js';
import { MetricsNotServedError } from '../errors.ts';
import { parseSearchRequest } from '../search.ts';
import { searchTags, searchTagsV2, tagValues, tagValuesV2 } from '../search-tags.ts';
import type { QueryApiDeps } from '../types.ts';
import { callStatusFor } from './grpc-status.ts';
import { metadataTokenGuard } from './metadata-auth.ts';
import type { TraceqlMetrics } from './metrics-stream.ts';
import {
  queryInstantParams,
  queryRangeParams,
  searchParams,
  searchTagValuesParams,
  searchTagsParams,
} from './requests.ts';
import { streamSearch, type SearchStreamOptions } from './search-stream.ts';
import { segmentList, segmentScopes } from './segment.ts';
import {
  streamingQuerierService,
  type QueryInstantRequestMessage,
  type QueryRangeRequestMessage,
  type SearchRequestMessage,
  type SearchTagValuesRequestMessage,
  type SearchTagsRequestMessage,
} from './tempo-service.ts';

/** What the streaming API reads from, and how it behaves. */
export interface StreamingQuerierOptions extends Pick<QueryApiDeps, 'fetcher' | 'catalog' | 'engine'> {
  /** When set, every call must carry it (see metadata-auth.ts). */
  authToken?: string;
  /** The TraceQL metrics engine; without it the metrics calls answer UNIMPLEMENTED. */
  traceqlMetrics?: TraceqlMetrics;
  /** Streamed search's pacing and budget. */
  search?: Pick<SearchStreamOptions, 'progressIntervalMs' | 'maxInspectedTraces'>;
  /** Unexpected failures (answered INTERNAL). */
  onError: (err: unknown) => void;
}

/** The running service. */
export interface StreamingQuerier {
  /** Serves one connection whose HTTP/2 preface has been seen (and pushed back). */
  injectConnection(connection: Duplex): void;
  /** Ends every open call and connection at once. */
  stop(): void;
}

/** A call the way the handlers below need it. */
type Call<Req> = grpc.ServerWritableStream<Req, unknown>;

/** The client went away while an answer was being written. */
class CallCancelledError extends Error {}

/**
 * Writes one message, resolving once grpc-js took it (so a slow reader applies back-pressure), and
 * rejecting when the client cancels (grpc-js then drops the write without calling back).
 */
function write(call: Call<unknown>, bytes: Buffer): Promise<void> {
  if (call.cancelled) return Promise.reject(new CallCancelledError());
  return new Promise((resolve, reject) => {
    const onCancel = () => reject(new CallCancelledError());
    call.once('cancelled', onCancel);
    call.write(bytes, (err?: Error | null) => {
      call.removeListener('cancelled', onCancel);
      if (err) reject(err);
      else resolve();
    });
  });
}

/** Encodes an answer split into packets (segment.ts) as `method`'s responses and writes them in order. */
async function writeAll(call: Call<unknown>, method: string, parts: unknown[]): Promise<void> {
  const { encode } = streamingQuerierService();
  for (const part of parts) await write(call, encode(method, part));
}

/**
 * A metrics engine's answer split by series; `status` and `message` (partial results) ride on
 * the last part only, as in Tempo's segmentQueryRangeResponseToMaxPacketSize.
 */
function seriesPackets(answer: unknown): unknown[] {
  if (typeof answer !== 'object' || answer === null || !Array.isArray((answer as { series?: unknown }).series)) return [answer];
  return segmentList(answer as Record<string, unknown>, 'series', undefined, ['status', 'message']);
}

/** The metrics of a metadata answer computed in one go: one job, done. */
const ONE_JOB = { totalJobs: 1, completedJobs: 1 };

/**
 * Builds the service. It holds no socket until a connection is injected.
 * @example
 * const querier = createStreamingQuerier({ fetcher: store, catalog: store, engine, onError: console.error });
 * routeHttp2Connections(httpServer, (socket) => querier.injectConnection(socket));
 */
export function createStreamingQuerier(options: StreamingQuerierOptions): StreamingQuerier {
  const authorize = metadataTokenGuard(options.authToken);
  const tagDeps = { catalog: options.catalog, fetcher: options.fetcher, engine: options.engine };

  /** Runs `body` for a call: token first, then the answer, then the status. */
  function serve<Req>(body: (call: Call<Req>) => Promise<void>): grpc.handleServerStreamingCall<Req, unknown> {
    return (call) => {
      const run = async () => {
        authorize(call.metadata);
        await body(call);
      };
      run().then(
        () => {
          if (!call.cancelled) call.end();
        },
        (err: unknown) => {
          if (call.cancelled || err instanceof CallCancelledError) return;
          call.emit('error', callStatusFor(err, options.onError));
        },
      );
    };
  }

  const implementation: grpc.UntypedServiceImplementation = {
    Search: serve<SearchRequestMessage>(async (call) => {
      const request = parseSearchRequest(searchParams(call.request), options.engine);
      await streamSearch(options, request, (response) => writeAll(call, 'Search', segmentList({ ...response }, 'traces')), {
        ...options.search,
        isCancelled: () => call.cancelled,
      });
    }),
    SearchTags: serve<SearchTagsRequestMessage>(async (call) => {
      const answer = await searchTags(tagDeps, searchTagsParams(call.request));
      await writeAll(call, 'SearchTags', segmentList({ ...answer, metrics: ONE_JOB }, 'tagNames'));
    }),
    SearchTagsV2: serve<SearchTagsRequestMessage>(async (call) => {
      const answer = await searchTagsV2(tagDeps, searchTagsParams(call.request));
      await writeAll(call, 'SearchTagsV2', segmentScopes({ ...answer, metrics: ONE_JOB }));
    }),
    SearchTagValues: serve<SearchTagValuesRequestMessage>(async (call) => {
      const answer = await tagValues(tagDeps, call.request.tagName, searchTagValuesParams(call.request));
      await writeAll(call, 'SearchTagValues', segmentList({ ...answer, metrics: ONE_JOB }, 'tagValues'));
    }),
    SearchTagValuesV2: serve<SearchTagValuesRequestMessage>(async (call) => {
      const answer = await tagValuesV2(tagDeps, call.request.tagName, searchTagValuesParams(call.request));
      await writeAll(call, 'SearchTagValuesV2', segmentList({ ...answer, metrics: ONE_JOB }, 'tagValues'));
    }),
    // The metrics engine answers a whole range at once: the complete series, in packets.
    MetricsQueryRange: serve<QueryRangeRequestMessage>(async (call) => {
      if (!options.traceqlMetrics) throw new MetricsNotServedError('MetricsQueryRange');
      await writeAll(call, 'MetricsQueryRange', seriesPackets(await options.traceqlMetrics.queryRange(queryRangeParams(call.request))));
    }),
    MetricsQueryInstant: serve<QueryInstantRequestMessage>(async (call) => {
      if (!options.traceqlMetrics) throw new MetricsNotServedError('MetricsQueryInstant');
      await writeAll(call, 'MetricsQueryInstant', seriesPackets(await options.traceqlMetrics.queryInstant(queryInstantParams(call.request))));
    }),
  };

  const server = new grpc.Server();
  server.addService(streamingQuerierService().definition, implementation);
  const injector = server.createConnectionInjector(grpc.ServerCredentials.createInsecure());
  return {
    injectConnection: (connection) => injector.injectConnection(connection),
    stop() {
      injector.destroy();
      server.forceShutdown();
    },
  };
}
