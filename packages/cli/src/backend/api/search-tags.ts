/**
 * Tag autocomplete: `GET /api/search/tags`, `GET /api/v2/search/tags`,
 * `GET /api/search/tag/<tag>/values` and `GET /api/v2/search/tag/<tag>/values`, in Tempo's JSON.
 * Attribute names and values come from the store's tag catalog; intrinsics, events, links and
 * `q=`-filtered answers come from scanning spans (see tag-scan.ts). Where the catalog is partial
 * (it reached its caps, store/internal/tag-catalog.ts), its answer is merged with what a scan of
 * the newest traces finds, so keys and values first seen after that are still offered.
 */
import type { TraceFetcher } from '../query/storage.ts';
import { BadParamError } from './errors.ts';
import { positiveIntParam, timeRangeParams } from './params.ts';
import { URL_PARAM_LIMIT, URL_PARAM_QUERY, URL_PARAM_SCOPE, URL_PARAM_TAG_NAME } from './paths.ts';
import { sendJson } from './respond.ts';
import type { RouteHandler } from './route.ts';
import { attributeTarget, INTRINSIC_TAGS, resolveTagTarget, toTypedValue, type AttributeTarget, type TagTarget, type TypedTagValue } from './tag-identifiers.ts';
import { isTrivialQuery, matchSpans, scanAllSpans, type ScannedSpan } from './tag-scan.ts';
import type { ApiTagCatalog, SearchEngine, TimeRange } from './types.ts';

/** Values returned per request when the client gives no `limit`. */
export const DEFAULT_TAG_VALUES_LIMIT = 1000;
/** Names returned per scope when the client gives no `limit`. */
export const DEFAULT_TAG_NAMES_LIMIT = 5000;

const SCOPES = ['resource', 'span', 'intrinsic', 'event', 'link', 'instrumentation'] as const;
type Scope = (typeof SCOPES)[number];

/** Everything the tag routes read. */
export interface TagRoutesDeps {
  catalog: ApiTagCatalog;
  fetcher: TraceFetcher;
  engine: SearchEngine;
}

/** The `scope` parameter; undefined means every scope ("all"). */
function parseScope(params: URLSearchParams): Scope | undefined {
  const scope = params.get(URL_PARAM_SCOPE) ?? '';
  if (scope === '' || scope === 'all') return undefined;
  if (!(SCOPES as readonly string[]).includes(scope)) throw new BadParamError(`invalid scope: ${scope}`);
  return scope as Scope;
}

/** The spans a `q=` selects, or undefined when there is no (usable) filter. */
async function filteredSpans(deps: TagRoutesDeps, params: URLSearchParams, range: TimeRange) {
  const q = params.get(URL_PARAM_QUERY) ?? '';
  if (isTrivialQuery(q)) return undefined;
  return (await matchSpans(deps.fetcher, deps.engine, q, range)) ?? undefined;
}

async function collectKeys(spans: AsyncIterable<ScannedSpan> | Iterable<ScannedSpan>, scope: Scope): Promise<string[]> {
  const keys = new Set<string>();
  for await (const { span } of spans) {
    if (scope === 'resource') Object.keys(span.resource).forEach((k) => keys.add(k));
    else if (scope === 'span') Object.keys(span.attributes).forEach((k) => keys.add(k));
    else if (scope === 'event') span.events.forEach((e) => Object.keys(e.attributes).forEach((k) => keys.add(k)));
    else if (scope === 'link') span.links.forEach((l) => Object.keys(l.attributes).forEach((k) => keys.add(k)));
  }
  return [...keys].sort();
}

/** Tag names of one scope, optionally only from the spans a filter matched. */
async function tagNames(
  deps: TagRoutesDeps,
  scope: Scope,
  range: TimeRange,
  matched: ScannedSpan[] | undefined,
): Promise<string[]> {
  if (scope === 'intrinsic') return [...INTRINSIC_TAGS];
  if (scope === 'instrumentation') return [];
  if (matched) return collectKeys(matched, scope);
  if (scope !== 'resource' && scope !== 'span') return collectKeys(scanAllSpans(deps.fetcher, range), scope);
  const catalogued = await deps.catalog.tagNames(scope, range);
  if (!deps.catalog.tagCatalogPartial(scope)) return catalogued;
  const scanned = await collectKeys(scanAllSpans(deps.fetcher, range), scope);
  return [...new Set([...catalogued, ...scanned])].sort();
}

/** The answer of `GET /api/search/tags` for these parameters: `{"tagNames":[...]}`. */
export async function searchTags(deps: TagRoutesDeps, query: URLSearchParams): Promise<{ tagNames: string[] }> {
  const scope = parseScope(query);
  const range = timeRangeParams(query);
  const limit = positiveIntParam(query, URL_PARAM_LIMIT, DEFAULT_TAG_NAMES_LIMIT);
  // Without a scope Tempo's v1 lists resource and span attributes, merged.
  const scopes: Scope[] = scope ? [scope] : ['resource', 'span'];
  const names = new Set<string>();
  for (const s of scopes) for (const name of await tagNames(deps, s, range, undefined)) names.add(name);
  return { tagNames: [...names].sort().slice(0, limit) };
}

/** The answer of `GET /api/v2/search/tags` for these parameters: `{"scopes":[{"name","tags"}]}`. */
export async function searchTagsV2(
  deps: TagRoutesDeps,
  query: URLSearchParams,
): Promise<{ scopes: Array<{ name: string; tags: string[] }> }> {
  const scope = parseScope(query);
  const range = timeRangeParams(query);
  const limit = positiveIntParam(query, URL_PARAM_LIMIT, DEFAULT_TAG_NAMES_LIMIT);
  const matched = await filteredSpans(deps, query, range);
  // "All" is the scopes the catalog indexes plus intrinsics; events and links need a scan,
  // so they are listed only when asked for by name.
  const scopes: Scope[] = scope ? [scope] : ['resource', 'span', 'intrinsic'];
  const out: Array<{ name: string; tags: string[] }> = [];
  for (const s of scopes) out.push({ name: s, tags: (await tagNames(deps, s, range, matched)).slice(0, limit) });
  return { scopes: out };
}

/** Handler for `GET /api/search/tags`. */
export function searchTagsHandler(deps: TagRoutesDeps): RouteHandler {
  return async function searchTagsRoute(ctx) {
    sendJson(ctx.req, ctx.res, 200, await searchTags(deps, ctx.query));
  };
}

/** Handler for `GET /api/v2/search/tags`. */
export function searchTagsV2Handler(deps: TagRoutesDeps): RouteHandler {
  return async function searchTagsV2Route(ctx) {
    sendJson(ctx.req, ctx.res, 200, await searchTagsV2(deps, ctx.query));
  };
}

/** Adds values to `out` without duplicates, stopping at `limit`. */
function addValues(out: Map<string, TypedTagValue>, values: Iterable<TypedTagValue>, limit: number): void {
  for (const v of values) {
    if (out.size >= limit) return;
    const key = `${v.type}\u0000${v.value}`;
    if (!out.has(key)) out.set(key, v);
  }
}

/** The answer of `GET /api/search/tag/<tag>/values`: `{"tagValues":["..."]}` (unscoped attribute). */
export async function tagValues(deps: TagRoutesDeps, tag: string, query: URLSearchParams): Promise<{ tagValues: string[] }> {
  const range = timeRangeParams(query);
  const limit = positiveIntParam(query, URL_PARAM_LIMIT, DEFAULT_TAG_VALUES_LIMIT);
  const target = attributeTarget(['resource', 'span'], tag);
  const out = new Map<string, TypedTagValue>();
  await addAttributeValues(deps, target, range, out, limit);
  return { tagValues: [...new Set([...out.values()].map((v) => v.value))] };
}

/** The answer of `GET /api/v2/search/tag/<tag>/values`: `{"tagValues":[{"type","value"}]}`. */
export async function tagValuesV2(
  deps: TagRoutesDeps,
  tag: string,
  query: URLSearchParams,
): Promise<{ tagValues: TypedTagValue[] }> {
  const target = resolveTagTarget(tag);
  const range = timeRangeParams(query);
  const limit = positiveIntParam(query, URL_PARAM_LIMIT, DEFAULT_TAG_VALUES_LIMIT);
  const out = new Map<string, TypedTagValue>();
  const matched = await filteredSpans(deps, query, range);
  if (matched) {
    for (const { span, trace } of matched) addValues(out, target.extract(span, trace), limit);
  } else if (target.kind === 'keyword') {
    addValues(out, target.values.map((value) => ({ type: 'keyword' as const, value })), limit);
  } else {
    // From the catalog where it keeps the tag, then from a scan where it does not or is partial.
    let scan = true;
    if (target.kind === 'spanName' && deps.catalog.spanNames) {
      const names = await deps.catalog.spanNames({ limit });
      addValues(out, names.map((value) => ({ type: 'string' as const, value })), limit);
      scan = deps.catalog.tagCatalogPartial('intrinsic');
    } else if (target.kind === 'attribute') {
      await addAttributeValues(deps, target, range, out, limit);
      scan = false;
    }
    if (scan) await addScannedValues(deps, range, target.extract, out, limit);
  }
  return { tagValues: [...out.values()] };
}

/** An attribute's values from the catalog, and from a scan where a scope of it is partial. */
async function addAttributeValues(deps: TagRoutesDeps, target: AttributeTarget, range: TimeRange, out: Map<string, TypedTagValue>, limit: number): Promise<void> {
  for (const scope of target.scopes) {
    const values = await deps.catalog.tagValues(scope, target.key, { ...range, limit });
    addValues(out, values.flatMap((v) => toTypedValue(v) ?? []), limit);
  }
  if (target.scopes.some((scope) => deps.catalog.tagCatalogPartial(scope))) await addScannedValues(deps, range, target.extract, out, limit);
}

/** Adds the values `extract` finds in the spans of the newest traces, up to `limit` in all. */
async function addScannedValues(deps: TagRoutesDeps, range: TimeRange, extract: TagTarget['extract'], out: Map<string, TypedTagValue>, limit: number): Promise<void> {
  if (out.size >= limit) return;
  for await (const { span, trace } of scanAllSpans(deps.fetcher, range)) {
    addValues(out, extract(span, trace), limit);
    if (out.size >= limit) break;
  }
}

/** Handler for `GET /api/search/tag/<tag>/values`. */
export function tagValuesHandler(deps: TagRoutesDeps): RouteHandler {
  return async function tagValuesRoute(ctx) {
    sendJson(ctx.req, ctx.res, 200, await tagValues(deps, ctx.params[URL_PARAM_TAG_NAME] ?? '', ctx.query));
  };
}

/** Handler for `GET /api/v2/search/tag/<tag>/values`. */
export function tagValuesV2Handler(deps: TagRoutesDeps): RouteHandler {
  return async function tagValuesV2Route(ctx) {
    sendJson(ctx.req, ctx.res, 200, await tagValuesV2(deps, ctx.params[URL_PARAM_TAG_NAME] ?? '', ctx.query));
  };
}
