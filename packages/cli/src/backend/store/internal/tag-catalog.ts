/**
 * The tag autocomplete catalog: attribute keys per scope and their distinct scalar values. It
 * lives in memory (every push consults it, so it must be cheap) and reports what is new so that
 * the lmdb store can persist exactly the additions.
 *
 * It is bounded three ways, so that ids cannot grow it (and the lmdb table reloaded at start-up)
 * without limit: values per key (a request id or user id as a value), keys per scope (ids made
 * into keys: `user.<id>`, a header name per request) and values in all. The first cap is a
 * dropdown's worth of a key and changes nothing else; a scope that hit either of the others is
 * "partial" ({@link TagCatalogIndex.isPartial}): keys and values first seen after that are not
 * in it, and the autocomplete APIs add what a scan of the newest traces finds.
 */
import type { AttrValue } from '../../query/storage.ts';
import { anyValueKind, longToBigInt, toSafeNumber, type AnyValueLike as OtlpAnyValue } from '../../otlp/index.ts';

/** Catalog scopes; 'intrinsic' holds span names under the key `name`. */
export type CatalogScope = 'resource' | 'span' | 'intrinsic';

const SCOPE_CHAR: Record<CatalogScope, string> = { resource: 'r', span: 's', intrinsic: 'i' };
const CHAR_SCOPE: Record<string, CatalogScope> = { r: 'resource', s: 'span', i: 'intrinsic' };

/** Longer keys and values are not catalogued: they are not useful in a dropdown. */
const MAX_TEXT = 256;

/** The catalog's caps; see the module comment. */
export interface TagCatalogLimits {
  /** Distinct values kept per key (default 1000). */
  maxValuesPerKey?: number;
  /** Keys kept per scope (default 5000, the tag APIs' default page). */
  maxKeysPerScope?: number;
  /** Values kept across all keys and scopes (default 100,000: ~70 MB of heap with every value at the 256-character limit). */
  maxValues?: number;
}

export const DEFAULT_TAG_CATALOG_LIMITS: Required<TagCatalogLimits> = { maxValuesPerKey: 1000, maxKeysPerScope: 5000, maxValues: 100_000 };

/** The catalog a store's options ask for. */
export function catalogOf(options: { maxTagValuesPerKey?: number; maxTagKeysPerScope?: number; maxTagValues?: number }): TagCatalogIndex {
  return new TagCatalogIndex({ maxValuesPerKey: options.maxTagValuesPerKey, maxKeysPerScope: options.maxTagKeysPerScope, maxValues: options.maxTagValues });
}

export class TagCatalogIndex {
  private readonly scopes = new Map<CatalogScope, Map<string, KeyValues>>();
  private readonly maxValuesPerKey: number;
  private readonly maxKeysPerScope: number;
  private readonly maxValues: number;
  private valueCount = 0;
  /** Scopes that turned a key or value away at a cap other than the per-key one. */
  private readonly partial = new Set<CatalogScope>();

  constructor(limits: TagCatalogLimits = {}) {
    this.maxValuesPerKey = limits.maxValuesPerKey ?? DEFAULT_TAG_CATALOG_LIMITS.maxValuesPerKey;
    this.maxKeysPerScope = limits.maxKeysPerScope ?? DEFAULT_TAG_CATALOG_LIMITS.maxKeysPerScope;
    this.maxValues = limits.maxValues ?? DEFAULT_TAG_CATALOG_LIMITS.maxValues;
  }

  /** True once `scope` turned away a key (keys per scope) or a value (values in all): its answers miss what came after. */
  isPartial(scope: CatalogScope): boolean {
    return this.partial.has(scope);
  }

  /**
   * Records one attribute. New entries are appended to `added` as persistable ids
   * (scope char + key, then NUL + value key for a value).
   */
  observe(scope: CatalogScope, key: string, value: OtlpAnyValue | null | undefined, added: string[]): void {
    const known = this.scopes.get(scope)?.get(key);
    if (known) {
      // Full keys (high-cardinality ids) and values already seen are the common case under
      // load: answer both without building the typed entry key.
      if (known.values.size >= this.maxValuesPerKey) return;
      if (value && isKnownValue(known, value)) return;
    }
    this.add(scope, key, scalarEntry(value), added);
  }

  /** Records one span name (the `name` intrinsic) without building an AnyValue for it. */
  observeSpanName(name: string, added: string[]): void {
    if (this.scopes.get('intrinsic')?.get('name')?.strings.has(name)) return;
    this.add('intrinsic', 'name', ['s' + name, name], added);
  }

  private add(scope: CatalogScope, key: string, entry: [string, AttrValue] | undefined, added: string[]): void {
    const keys = this.keysOf(scope);
    let known = keys.get(key);
    if (!known) {
      if (key.length > MAX_TEXT || key.includes('\u0000')) return;
      known = this.newKey(scope, keys, key);
      if (!known) return;
      added.push(SCOPE_CHAR[scope] + key);
    }
    if (!entry || entry[0].length > MAX_TEXT || known.values.has(entry[0]) || !this.roomForValue(scope, known)) return;
    this.remember(known, entry);
    added.push(SCOPE_CHAR[scope] + key + '\u0000' + entry[0]);
  }

  /** Restores one id that {@link observe} reported earlier. */
  load(id: string): void {
    const scope = CHAR_SCOPE[id[0]];
    if (!scope) return;
    const nul = id.indexOf('\u0000');
    const key = nul < 0 ? id.slice(1) : id.slice(1, nul);
    // The same caps as for new entries: a table written under larger ones (or before there were
    // any) loads only what they allow, and the scope is partial.
    const keys = this.keysOf(scope);
    const known = keys.get(key) ?? this.newKey(scope, keys, key);
    if (!known || nul < 0) return;
    const valueKey = id.slice(nul + 1);
    if (known.values.has(valueKey) || !this.roomForValue(scope, known)) return;
    this.remember(known, [valueKey, scalarFromKey(valueKey)]);
  }

  private keysOf(scope: CatalogScope): Map<string, KeyValues> {
    let keys = this.scopes.get(scope);
    if (!keys) this.scopes.set(scope, (keys = new Map()));
    return keys;
  }

  /** A new key's (empty) values, or undefined when the scope has no room for another key: it is then partial. */
  private newKey(scope: CatalogScope, keys: Map<string, KeyValues>, key: string): KeyValues | undefined {
    if (keys.size >= this.maxKeysPerScope) {
      this.partial.add(scope);
      return undefined;
    }
    const known = newKeyValues();
    keys.set(key, known);
    return known;
  }

  /** Whether `known` may take one more value: not past its own cap, nor (the scope turning partial) the values in all. */
  private roomForValue(scope: CatalogScope, known: KeyValues): boolean {
    if (known.values.size >= this.maxValuesPerKey) return false;
    if (this.valueCount < this.maxValues) return true;
    this.partial.add(scope);
    return false;
  }

  private remember(known: KeyValues, [entryKey, value]: [string, AttrValue]): void {
    known.values.set(entryKey, value);
    this.valueCount++;
    if (entryKey[0] === 's') known.strings.add(value as string);
    else if (entryKey[0] === 'i' && typeof value === 'number') known.ints.add(value);
  }

  /** Keys seen in a scope, sorted. */
  names(scope: CatalogScope): string[] {
    return [...(this.scopes.get(scope)?.keys() ?? [])].sort();
  }

  /** Distinct values of one key, at most `limit`, sorted by type, then text. */
  values(scope: CatalogScope, key: string, limit = this.maxValuesPerKey): AttrValue[] {
    const values = this.scopes.get(scope)?.get(key)?.values;
    if (!values) return [];
    return [...values.entries()]
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .slice(0, Math.max(0, limit))
      .map(([, v]) => v);
  }
}

/** One key's catalogued values by typed entry key, plus the string and int values as themselves. */
interface KeyValues {
  values: Map<string, AttrValue>;
  strings: Set<string>;
  ints: Set<number>;
}

function newKeyValues(): KeyValues {
  return { values: new Map(), strings: new Set(), ints: new Set() };
}

const TWO_32 = 4294967296;
const has = (o: object, k: string): boolean => Object.prototype.hasOwnProperty.call(o, k);

/** True when a string or (safe) int value is already catalogued under the key. */
function isKnownValue(known: KeyValues, v: OtlpAnyValue): boolean {
  if (typeof v.stringValue === 'string' && has(v, 'stringValue')) return known.strings.has(v.stringValue);
  const int = v.intValue;
  if (int === null || int === undefined || !has(v, 'intValue')) return false;
  if (typeof int === 'number') return known.ints.has(int);
  // A protobufjs Long whose high word keeps the value within 2^53 converts exactly.
  if (typeof int === 'object' && !int.unsigned && int.high >= -0x200000 && int.high < 0x200000) return known.ints.has(int.high * TWO_32 + (int.low >>> 0));
  return false;
}

/**
 * A scalar AnyValue as [catalog key, value]: the key keeps the type so that "1" and 1 stay two
 * values. Arrays, kvlists and bytes are not catalogued (Tempo does not offer them either).
 */
function scalarEntry(v: OtlpAnyValue | null | undefined): [string, AttrValue] | undefined {
  if (!v) return undefined;
  switch (anyValueKind(v)) {
    case 'stringValue':
      return ['s' + (v.stringValue ?? ''), v.stringValue ?? ''];
    case 'intValue': {
      const n = longToBigInt(v.intValue);
      return ['i' + n.toString(), toSafeNumber(n)];
    }
    case 'boolValue':
      return [v.boolValue ? 'b1' : 'b0', Boolean(v.boolValue)];
    case 'doubleValue':
      return ['d' + String(Number(v.doubleValue)), Number(v.doubleValue)];
    default:
      return undefined;
  }
}

/** The value a {@link scalarEntry} key stands for (used when reloading the catalog). */
function scalarFromKey(key: string): AttrValue {
  const body = key.slice(1);
  switch (key[0]) {
    case 's':
      return body;
    case 'i':
      return toSafeNumber(BigInt(body));
    case 'b':
      return body === '1';
    case 'd':
      return Number(body);
    default:
      return body;
  }
}
