/**
 * The tag autocomplete catalog: attribute keys per scope and their distinct scalar values, capped
 * per key so that high-cardinality ids (request ids, user ids) cannot grow it without bound. It
 * lives in memory (every push consults it, so it must be cheap) and reports what is new so that
 * the lmdb store can persist exactly the additions.
 */
import type { AttrValue } from '../../model.ts';
import type { OtlpAnyValue } from '../types.ts';
import { scalarEntry, scalarFromKey } from './any-value.ts';

/** Catalog scopes; 'intrinsic' holds span names under the key `name`. */
export type CatalogScope = 'resource' | 'span' | 'intrinsic';

const SCOPE_CHAR: Record<CatalogScope, string> = { resource: 'r', span: 's', intrinsic: 'i' };
const CHAR_SCOPE: Record<string, CatalogScope> = { r: 'resource', s: 'span', i: 'intrinsic' };

/** Longer keys and values are not catalogued: they are not useful in a dropdown. */
const MAX_TEXT = 256;

export class TagCatalogIndex {
  private readonly scopes = new Map<CatalogScope, Map<string, Map<string, AttrValue>>>();

  constructor(private readonly maxValuesPerKey = 1000) {}

  /**
   * Records one attribute. New entries are appended to `added` as persistable ids
   * (scope char + key, then NUL + value key for a value).
   */
  observe(scope: CatalogScope, key: string, value: OtlpAnyValue | null | undefined, added: string[]): void {
    // Full keys (high-cardinality ids) are the common case under load: skip building the entry.
    const values = this.scopes.get(scope)?.get(key);
    if (values && values.size >= this.maxValuesPerKey) return;
    this.add(scope, key, scalarEntry(value), added);
  }

  /** Records one span name (the `name` intrinsic) without building an AnyValue for it. */
  observeSpanName(name: string, added: string[]): void {
    this.add('intrinsic', 'name', ['s' + name, name], added);
  }

  private add(scope: CatalogScope, key: string, entry: [string, AttrValue] | undefined, added: string[]): void {
    let keys = this.scopes.get(scope);
    if (!keys) this.scopes.set(scope, (keys = new Map()));
    let values = keys.get(key);
    if (!values) {
      if (key.length > MAX_TEXT || key.includes('\u0000')) return;
      keys.set(key, (values = new Map()));
      added.push(SCOPE_CHAR[scope] + key);
    }
    if (values.size >= this.maxValuesPerKey) return;
    if (!entry || entry[0].length > MAX_TEXT || values.has(entry[0])) return;
    values.set(entry[0], entry[1]);
    added.push(SCOPE_CHAR[scope] + key + '\u0000' + entry[0]);
  }

  /** Restores one id that {@link observe} reported earlier. */
  load(id: string): void {
    const scope = CHAR_SCOPE[id[0]];
    if (!scope) return;
    const nul = id.indexOf('\u0000');
    const key = nul < 0 ? id.slice(1) : id.slice(1, nul);
    let keys = this.scopes.get(scope);
    if (!keys) this.scopes.set(scope, (keys = new Map()));
    let values = keys.get(key);
    if (!values) keys.set(key, (values = new Map()));
    if (nul >= 0 && values.size < this.maxValuesPerKey) {
      const valueKey = id.slice(nul + 1);
      values.set(valueKey, scalarFromKey(valueKey));
    }
  }

  /** Keys seen in a scope, sorted. */
  names(scope: CatalogScope): string[] {
    return [...(this.scopes.get(scope)?.keys() ?? [])].sort();
  }

  /** Distinct values of one key, at most `limit`, sorted by type, then text. */
  values(scope: CatalogScope, key: string, limit = this.maxValuesPerKey): AttrValue[] {
    const values = this.scopes.get(scope)?.get(key);
    if (!values) return [];
    return [...values.entries()]
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .slice(0, Math.max(0, limit))
      .map(([, v]) => v);
  }
}
