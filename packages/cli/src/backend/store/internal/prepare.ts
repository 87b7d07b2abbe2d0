/**
 * Turns one OTLP export request into what both stores write: each span as OTLP `Span` bytes (as
 * received, or encoded again when it was not decoded from protobuf) behind references to its resource and scope (stored once each, keyed by a
 * content hash), grouped by trace, with the few columns the indexes need. Everything is
 * validated before anything is written, so a bad span rejects the whole request.
 */
import { createHash } from 'node:crypto';
import {
  bytesToHex as toHex,
  isAllZero,
  longToBigInt as toBigInt,
  receivedSpanBytes,
  stringAttribute,
  type ExportTraceServiceRequestLike as OtlpExportRequest,
  type ResourceSpansLike as OtlpResourceSpans,
  type ScopeSpansLike as OtlpScopeSpans,
  type SpanLike as OtlpSpan,
} from '../../otlp/index.ts';
import { StoreError } from '../errors.ts';
import { ResourceSpansType, ScopeSpansType, SpanType } from './schema.ts';
import type { TagCatalogIndex } from './tag-catalog.ts';

/** Bytes of a resource or scope reference (a truncated SHA-256 of the header it names). */
export const REF_BYTES = 8;

/** One span ready to store. */
export interface PreparedSpan {
  /** trace id (16) + span id (8): spans of a trace are adjacent in key order. */
  key: Uint8Array;
  /** resource ref (8) + scope ref (8) + the encoded OTLP Span. */
  value: Uint8Array;
  start: bigint;
  end: bigint;
  name: string;
  serviceName: string;
  isRoot: boolean;
  isError: boolean;
}

export interface PreparedTrace {
  traceId: Uint8Array;
  traceHex: string;
  spans: PreparedSpan[];
}

/**
 * A resource (an encoded `ResourceSpans` holding only `resource` and `schema_url`) or a scope
 * (an encoded `ScopeSpans` holding only `scope` and `schema_url`): the headers a trace body is
 * reassembled from.
 */
export interface PreparedBlob {
  ref: Uint8Array;
  refHex: string;
  bytes: Uint8Array;
}

export interface PreparedBatch {
  traces: PreparedTrace[];
  blobs: PreparedBlob[];
  spanCount: number;
  /** Catalog entries this request added (for the lmdb store to persist). */
  newTags: string[];
}

/** Validates and prepares a request; `catalog` (when given) learns its tags. */
export function prepareRequest(request: OtlpExportRequest, catalog?: TagCatalogIndex): PreparedBatch {
  // Pass 1 checks every id (a bad span rejects the request before anything is built) and
  // collects each span's body, so that pass 2 can place all keys and values in two buffers per
  // request instead of two allocations per span (lmdb copies what it stores; the memory store
  // keeps the views, which live exactly as long as the spans they hold).
  const bodies = spanBodies(request);
  let bodyBytes = 0;
  for (let i = 0; i < bodies.length; i++) bodyBytes += bodies[i].length;
  // Plain Uint8Array views: cheaper to make than Buffer slices, and what lmdb takes.
  const keySlab = Buffer.allocUnsafeSlow(KEY_BYTES * bodies.length).buffer;
  const valueSlab = Buffer.allocUnsafeSlow(2 * REF_BYTES * bodies.length + bodyBytes).buffer;
  let valueAt = 0;
  const traces = new Map<string, PreparedTrace>();
  const blobs = new Map<string, PreparedBlob>();
  const newTags: string[] = [];
  let spanCount = 0;
  // Spans of a trace usually come together (the decoder shares one id object between them):
  // the previous span's trace is reused without a map lookup.
  let lastTraceId: Uint8Array | undefined;
  let lastTrace: PreparedTrace | undefined;
  for (const rs of request.resourceSpans ?? []) {
    const resourceAttrs = rs.resource?.attributes;
    const serviceName = stringAttribute(resourceAttrs, 'service.name');
    const resource = blobOf(0x72, ResourceSpansType.encode(resourceHeader(rs)).finish(), blobs);
    if (catalog) for (const kv of resourceAttrs ?? []) catalog.observe('resource', kv.key ?? '', kv.value, newTags);
    for (const ss of rs.scopeSpans ?? []) {
      const scope = blobOf(0x73, ScopeSpansType.encode(scopeHeader(ss)).finish(), blobs);
      for (const span of ss.spans ?? []) {
        const body = bodies[spanCount];
        const keyAt = KEY_BYTES * spanCount;
        const key = new Uint8Array(keySlab, keyAt, KEY_BYTES);
        key.set(span.traceId!, 0);
        key.set(span.spanId!, 16);
        const value = new Uint8Array(valueSlab, valueAt, 2 * REF_BYTES + body.length);
        valueAt += value.length;
        value.set(resource.ref, 0);
        value.set(scope.ref, REF_BYTES);
        value.set(body, 2 * REF_BYTES);
        const prepared = preparedSpan(span, key, value, serviceName);
        spanCount++;
        const traceId = span.traceId!;
        let trace = traceId === lastTraceId ? lastTrace : undefined;
        if (!trace) {
          const traceHex = toHex(traceId);
          trace = traces.get(traceHex);
          if (!trace) traces.set(traceHex, (trace = { traceId: key.subarray(0, 16), traceHex, spans: [] }));
          lastTraceId = traceId;
          lastTrace = trace;
        }
        trace.spans.push(prepared);
        if (catalog) {
          catalog.observeSpanName(prepared.name, newTags);
          const attrs = span.attributes;
          if (attrs) for (let a = 0; a < attrs.length; a++) catalog.observe('span', attrs[a].key ?? '', attrs[a].value, newTags);
        }
      }
    }
  }
  return { traces: [...traces.values()], blobs: [...blobs.values()], spanCount, newTags };
}

/** Trace id (16) + span id (8). */
const KEY_BYTES = 24;

/** Checks every span's ids and returns each span's `Span` bytes (as received, else encoded), in order. */
function spanBodies(request: OtlpExportRequest): Uint8Array[] {
  const bodies: Uint8Array[] = [];
  const resourceSpans = request.resourceSpans ?? [];
  for (let i = 0; i < resourceSpans.length; i++) {
    const scopeSpans = resourceSpans[i].scopeSpans ?? [];
    for (let j = 0; j < scopeSpans.length; j++) {
      const spans = scopeSpans[j].spans ?? [];
      for (let k = 0; k < spans.length; k++) {
        const span = spans[k];
        const problem = idProblem(span);
        if (problem) {
          throw new StoreError('STORE_ERR_INVALID_SPAN', `resourceSpans[${i}].scopeSpans[${j}].spans[${k}]: ${problem}`);
        }
        // The bytes the span arrived in when a receiver kept them; encoding it again is the slow path.
        bodies.push(receivedSpanBytes(span) ?? SpanType.encode(span).finish());
      }
    }
  }
  return bodies;
}

function idProblem(span: OtlpSpan): string | undefined {
  const { traceId, spanId, parentSpanId } = span;
  if (!traceId || traceId.length !== 16 || isAllZero(traceId)) return 'trace id must be 16 bytes and not all zero';
  // An all-zero span id is stored as Tempo stores it (the receivers' screen lets it through).
  if (!spanId || spanId.length !== 8) return 'span id must be 8 bytes';
  if (parentSpanId && parentSpanId.length !== 0 && parentSpanId.length !== 8) {
    return 'parent span id must be empty or 8 bytes';
  }
  return undefined;
}

function preparedSpan(span: OtlpSpan, key: Uint8Array, value: Uint8Array, serviceName: string): PreparedSpan {
  const parent = span.parentSpanId;
  return {
    key,
    value,
    start: toBigInt(span.startTimeUnixNano),
    end: toBigInt(span.endTimeUnixNano),
    name: span.name ?? '',
    serviceName,
    // Some SDKs send eight zero bytes rather than nothing for "no parent".
    isRoot: !parent || parent.length === 0 || isAllZero(parent),
    isError: span.status?.code === 2,
  };
}

// Empty schema URLs are left out so that "absent" and "" share one stored header.
function resourceHeader(rs: OtlpResourceSpans): object {
  return rs.schemaUrl ? { resource: rs.resource, schemaUrl: rs.schemaUrl } : { resource: rs.resource };
}

function scopeHeader(ss: OtlpScopeSpans): object {
  return ss.schemaUrl ? { scope: ss.scope, schemaUrl: ss.schemaUrl } : { scope: ss.scope };
}

function blobOf(kind: number, bytes: Uint8Array, blobs: Map<string, PreparedBlob>): PreparedBlob {
  // Every request repeats its service's resource and scope: the header seen before is looked up
  // by its bytes instead of hashed again (a small export hashed two headers for one or two spans).
  const seenKey = String.fromCharCode(kind) + Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1');
  let blob = recentBlobs.get(seenKey);
  if (!blob) {
    const digest = createHash('sha256').update(Uint8Array.of(kind)).update(bytes).digest();
    const ref = new Uint8Array(digest.subarray(0, REF_BYTES));
    // A copy: the encoder's output may be a view of a shared pool slab that the cache would pin.
    blob = { ref, refHex: toHex(ref), bytes: Uint8Array.prototype.slice.call(bytes) };
    if (recentBlobs.size >= RECENT_BLOBS_LIMIT) recentBlobs.clear();
    recentBlobs.set(seenKey, blob);
  }
  if (!blobs.has(blob.refHex)) blobs.set(blob.refHex, blob);
  return blob;
}

/** Headers prepared lately, by kind and bytes (shared between requests and never written to). */
const recentBlobs = new Map<string, PreparedBlob>();
const RECENT_BLOBS_LIMIT = 4096;

/**
 * Several prepared requests as one, for a single write: a trace that several of them carry
 * becomes one trace holding their spans in arrival order (so it is looked up, summarised and
 * indexed once, with the same result as writing the requests one after another: a repeated span
 * still keeps its first copy), blobs are stored once, and every new tag is kept.
 */
export function mergeBatches(batches: readonly PreparedBatch[]): PreparedBatch {
  const traces = new Map<string, PreparedTrace>();
  const blobs = new Map<string, PreparedBlob>();
  const newTags: string[] = [];
  let spanCount = 0;
  for (const batch of batches) {
    for (const trace of batch.traces) {
      const known = traces.get(trace.traceHex);
      // A copy, so the batches given stay as they were.
      if (!known) traces.set(trace.traceHex, { traceId: trace.traceId, traceHex: trace.traceHex, spans: [...trace.spans] });
      else for (const span of trace.spans) known.spans.push(span);
    }
    for (const blob of batch.blobs) if (!blobs.has(blob.refHex)) blobs.set(blob.refHex, blob);
    for (const tag of batch.newTags) newTags.push(tag);
    spanCount += batch.spanCount;
  }
  return { traces: [...traces.values()], blobs: [...blobs.values()], spanCount, newTags };
}
