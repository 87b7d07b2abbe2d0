/**
 * Stored span values to the query model. A value is a resource ref, a scope ref and the Span
 * bytes; the refs are resolved here (each resource and scope decoded once, then cached), the
 * span goes through otlp's one `toQuerySpan`: in full, or only the columns a search asked for.
 */
import type { FetchColumns, QuerySpan } from '../../query/storage.ts';
import { bytesToHex, toQuerySpan, toSpanResource, toSpanScope, type ResourceSpansLike, type ScopeSpansLike, type SpanResource, type SpanScope } from '../../otlp/index.ts';
import { REF_BYTES } from './prepare.ts';
import { ResourceSpansType, ScopeSpansType } from './schema.ts';

/** Resources and scopes are few and shared by many spans, so they are decoded once each. */
const CACHE_LIMIT = 10_000;

export class SpanDecoder {
  private readonly resources = new Map<string, SpanResource>();
  private readonly scopes = new Map<string, SpanScope>();

  constructor(private readonly blob: (refHex: string) => Uint8Array | undefined) {}

  /**
   * One stored value (resource ref, scope ref, Span bytes) as a QuerySpan; with `columns`, span
   * attributes, events and links are filled only as far as they ask.
   */
  decode(value: Uint8Array, columns?: FetchColumns): QuerySpan {
    const resource = this.resource(bytesToHex(value.subarray(0, REF_BYTES)));
    const scope = this.scope(bytesToHex(value.subarray(REF_BYTES, 2 * REF_BYTES)));
    return toQuerySpan(value.subarray(2 * REF_BYTES), resource, scope, columns);
  }

  private resource(refHex: string): SpanResource {
    let decoded = this.resources.get(refHex);
    if (!decoded) {
      const bytes = this.blob(refHex);
      decoded = toSpanResource((bytes ? (ResourceSpansType.decode(bytes) as ResourceSpansLike) : undefined)?.resource);
      if (this.resources.size >= CACHE_LIMIT) this.resources.clear();
      this.resources.set(refHex, decoded);
    }
    return decoded;
  }

  private scope(refHex: string): SpanScope {
    let decoded = this.scopes.get(refHex);
    if (!decoded) {
      const bytes = this.blob(refHex);
      decoded = toSpanScope((bytes ? (ScopeSpansType.decode(bytes) as ScopeSpansLike) : undefined)?.scope);
      if (this.scopes.size >= CACHE_LIMIT) this.scopes.clear();
      this.scopes.set(refHex, decoded);
    }
    return decoded;
  }
}
