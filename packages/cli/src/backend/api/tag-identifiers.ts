/**
 * The tags the autocomplete APIs know: Tempo's intrinsic names and how a TraceQL identifier
 * (`resource.service.name`, `span.http.route`, `.foo`, `name`, `status`) maps to span data.
 */
import { getAttribute, type AttrValue, type QuerySpan, type QueryTrace } from '../query/storage.ts';
import { BadParamError } from './errors.ts';

/** Intrinsic tag names, as Tempo lists them under the `intrinsic` scope. */
export const INTRINSIC_TAGS: readonly string[] = [
  'duration',
  'event:name',
  'event:timeSinceStart',
  'instrumentation:name',
  'instrumentation:version',
  'kind',
  'name',
  'rootName',
  'rootServiceName',
  'span:duration',
  'span:kind',
  'span:name',
  'span:status',
  'span:statusMessage',
  'status',
  'statusMessage',
  'trace:duration',
  'trace:rootName',
  'trace:rootService',
  'traceDuration',
];

const KIND_NAMES = ['unspecified', 'internal', 'server', 'client', 'producer', 'consumer'];
const STATUS_NAMES = ['unset', 'ok', 'error'];

/** A typed tag value as `/api/v2/search/tag/<tag>/values` returns it. */
export interface TypedTagValue {
  type: 'string' | 'int' | 'float' | 'bool' | 'keyword' | 'duration';
  value: string;
}

/** Pulls the values of one tag out of a span (and its trace, for trace-level intrinsics). */
export type ValueExtractor = (span: QuerySpan, trace: QueryTrace) => TypedTagValue[];

/** Where the values of a v2 tag come from. */
export type TagTarget =
  /** Indexed attributes: the store's tag catalog answers without a scan. */
  | { kind: 'attribute'; scopes: Array<'resource' | 'span'>; key: string; extract: ValueExtractor }
  /** The span name: the store keeps a list of them. */
  | { kind: 'spanName'; extract: ValueExtractor }
  /** Enumerations with a fixed set of values (status, kind). */
  | { kind: 'keyword'; values: readonly string[]; extract: ValueExtractor }
  /** Everything else: found by scanning spans. */
  | { kind: 'scan'; extract: ValueExtractor };

export type AttributeTarget = Extract<TagTarget, { kind: 'attribute' }>;

/** An attribute value as a typed tag value; composite values are not offered. */
export function toTypedValue(value: AttrValue | undefined): TypedTagValue | undefined {
  switch (typeof value) {
    case 'string':
      return { type: 'string', value };
    case 'boolean':
      return { type: 'bool', value: String(value) };
    case 'bigint':
      return { type: 'int', value: value.toString() };
    case 'number':
      // The span model keeps OTLP ints and doubles both as numbers; integral means int here.
      return { type: Number.isInteger(value) ? 'int' : 'float', value: String(value) };
    default:
      return undefined;
  }
}

function typed(values: Array<AttrValue | undefined>): TypedTagValue[] {
  const out: TypedTagValue[] = [];
  for (const value of values) {
    const t = toTypedValue(value);
    if (t) out.push(t);
  }
  return out;
}

function nonEmpty(text: string): TypedTagValue[] {
  return text === '' ? [] : [{ type: 'string', value: text }];
}

function rootSpan(trace: QueryTrace): QuerySpan | undefined {
  return trace.spans.find((s) => s.parentSpanId === '');
}

const none: ValueExtractor = () => [];

/** Intrinsics whose values can be listed; the others (durations, timeSinceStart) have none. */
const INTRINSIC_TARGETS: Record<string, TagTarget> = {
  name: { kind: 'spanName', extract: (s) => nonEmpty(s.name) },
  statusMessage: { kind: 'scan', extract: (s) => nonEmpty(s.statusMessage) },
  status: {
    kind: 'keyword',
    values: ['error', 'ok', 'unset'],
    extract: (s) => [{ type: 'keyword', value: STATUS_NAMES[s.statusCode] ?? 'unset' }],
  },
  kind: {
    kind: 'keyword',
    values: KIND_NAMES,
    extract: (s) => [{ type: 'keyword', value: KIND_NAMES[s.kind] ?? 'unspecified' }],
  },
  rootName: { kind: 'scan', extract: (_s, t) => nonEmpty(rootSpan(t)?.name ?? '') },
  rootServiceName: { kind: 'scan', extract: (_s, t) => nonEmpty(rootSpan(t)?.serviceName ?? '') },
  'instrumentation:name': { kind: 'scan', extract: (s) => nonEmpty(s.scopeName) },
  'instrumentation:version': { kind: 'scan', extract: (s) => nonEmpty(s.scopeVersion) },
  'event:name': { kind: 'scan', extract: (s) => s.events.flatMap((e) => nonEmpty(e.name)) },
};
// Scoped spellings of the same intrinsics.
INTRINSIC_TARGETS['span:name'] = INTRINSIC_TARGETS.name!;
INTRINSIC_TARGETS['span:statusMessage'] = INTRINSIC_TARGETS.statusMessage!;
INTRINSIC_TARGETS['span:status'] = INTRINSIC_TARGETS.status!;
INTRINSIC_TARGETS['span:kind'] = INTRINSIC_TARGETS.kind!;
INTRINSIC_TARGETS['trace:rootName'] = INTRINSIC_TARGETS.rootName!;
INTRINSIC_TARGETS['trace:rootService'] = INTRINSIC_TARGETS.rootServiceName!;

function unquote(key: string): string {
  return key.length >= 2 && key.startsWith('"') && key.endsWith('"') ? key.slice(1, -1).replace(/\\"/g, '"') : key;
}

/** Attribute `key` of a resource, a span, or either (the unscoped `.key`). */
export function attributeTarget(scopes: Array<'resource' | 'span'>, key: string): AttributeTarget {
  const extract: ValueExtractor = (s) => typed(scopes.map((scope) => getAttribute(scope === 'resource' ? s.resource : s.attributes, key)));
  return { kind: 'attribute', scopes, key, extract };
}

/**
 * Resolves a v2 tag (a TraceQL identifier) to where its values live.
 * @example resolveTagTarget('resource.service.name') // attribute in the resource scope
 */
export function resolveTagTarget(tag: string): TagTarget {
  const intrinsic = INTRINSIC_TARGETS[tag];
  if (intrinsic) return intrinsic;
  if (INTRINSIC_TAGS.includes(tag)) return { kind: 'scan', extract: none };
  const dot = tag.indexOf('.');
  const scope = dot >= 0 ? tag.slice(0, dot) : '';
  const key = unquote(tag.slice(dot + 1));
  if (dot < 0 || key === '') {
    throw new BadParamError(`tag name is not valid intrinsic or scoped attribute: ${tag}`);
  }
  switch (scope) {
    case 'resource':
    case 'span':
      return attributeTarget([scope], key);
    case '':
      return attributeTarget(['resource', 'span'], key);
    case 'event':
      return { kind: 'scan', extract: (s) => typed(s.events.map((e) => getAttribute(e.attributes, key))) };
    case 'link':
      return { kind: 'scan', extract: (s) => typed(s.links.map((l) => getAttribute(l.attributes, key))) };
    case 'instrumentation':
      return { kind: 'scan', extract: none }; // scope attributes are not kept by the span model
    default:
      throw new BadParamError(`tag name is not valid intrinsic or scoped attribute: ${tag}`);
  }
}
