/**
 * Stored span values to the query model: in full, or only the columns a search asked for
 * (FetchRequest.columns), which reads the span bytes with protobufjs' Reader and decodes just
 * the wanted attributes: most of a span's cost is its attributes and events, and a TraceQL
 * search usually needs one or two of them.
 */
import type { Attributes, FetchColumns, QuerySpan, SpanEvent, SpanLink } from '../../model.ts';
import { projectSpan } from './project-span.ts';
import { toEvent, toLink, type DecodedEvent, type DecodedLink, type DecodedResource, type DecodedScope } from './span-parts.ts';
import type { OtlpKeyValue, OtlpResourceSpans, OtlpScopeSpans, OtlpSpan, LongLike } from '../types.ts';
import { attributesToRecord } from './any-value.ts';
import { toBigInt, toHex } from './ids.ts';
import { REF_BYTES } from './prepare.ts';
import { ResourceSpansType, ScopeSpansType, SpanType } from './schema.ts';

/** Resources and scopes are few and shared by many spans, so they are decoded once each. */
const CACHE_LIMIT = 10_000;

export class SpanDecoder {
  private readonly resources = new Map<string, DecodedResource>();
  private readonly scopes = new Map<string, DecodedScope>();

  constructor(private readonly blob: (refHex: string) => Uint8Array | undefined) {}

  /**
   * One stored value (resource ref, scope ref, Span bytes) as a QuerySpan; with `columns`, span
   * attributes, events and links are filled only as far as they ask.
   */
  decode(value: Uint8Array, columns?: FetchColumns): QuerySpan {
    const resource = this.resource(toHex(value.subarray(0, REF_BYTES)));
    const scope = this.scope(toHex(value.subarray(REF_BYTES, 2 * REF_BYTES)));
    if (columns) return projectSpan(value.subarray(2 * REF_BYTES), columns, resource, scope);
    const span = SpanType.decode(value.subarray(2 * REF_BYTES)) as unknown as OtlpSpan & {
      kind?: number;
      events?: DecodedEvent[];
      links?: DecodedLink[];
    };
    const start = toBigInt(span.startTimeUnixNano);
    const end = toBigInt(span.endTimeUnixNano);
    const parent = span.parentSpanId && span.parentSpanId.some((b) => b !== 0) ? toHex(span.parentSpanId) : '';
    return {
      traceId: toHex(span.traceId!),
      spanId: toHex(span.spanId!),
      parentSpanId: parent,
      name: span.name ?? '',
      kind: span.kind ?? 0,
      startTimeUnixNano: start,
      endTimeUnixNano: end,
      durationNanos: end > start ? Number(end - start) : 0,
      statusCode: span.status?.code ?? 0,
      statusMessage: span.status?.message ?? '',
      serviceName: resource.serviceName,
      attributes: attributesToRecord(span.attributes),
      resource: resource.attributes,
      scopeName: scope.name,
      scopeVersion: scope.version,
      scopeAttributes: scope.attributes,
      events: (span.events ?? []).map(toEvent),
      links: (span.links ?? []).map(toLink),
    };
  }

  private resource(refHex: string): DecodedResource {
    let decoded = this.resources.get(refHex);
    if (!decoded) {
      const bytes = this.blob(refHex);
      const rs = (bytes ? ResourceSpansType.decode(bytes) : {}) as OtlpResourceSpans;
      const attributes = attributesToRecord(rs.resource?.attributes);
      const name = attributes['service.name'];
      decoded = { attributes, serviceName: typeof name === 'string' ? name : '' };
      if (this.resources.size >= CACHE_LIMIT) this.resources.clear();
      this.resources.set(refHex, decoded);
    }
    return decoded;
  }

  private scope(refHex: string): DecodedScope {
    let decoded = this.scopes.get(refHex);
    if (!decoded) {
      const bytes = this.blob(refHex);
      const ss = (bytes ? ScopeSpansType.decode(bytes) : {}) as OtlpScopeSpans;
      const scopeAttributes = (ss.scope as { attributes?: OtlpKeyValue[] | null } | null | undefined)?.attributes;
      decoded = { name: ss.scope?.name ?? '', version: ss.scope?.version ?? '', attributes: attributesToRecord(scopeAttributes) };
      if (this.scopes.size >= CACHE_LIMIT) this.scopes.clear();
      this.scopes.set(refHex, decoded);
    }
    return decoded;
  }
}
