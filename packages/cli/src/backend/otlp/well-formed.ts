/**
 * Strings that are not valid Unicode. JSON can carry a lone UTF-16 surrogate (`"\ud800"`), which
 * no UTF-8 encoding can hold: stored as is, it made every later read of the span fail. As the
 * protobuf JSON mapping and Tempo do, such strings are repaired on the way in: each lone
 * surrogate becomes U+FFFD, the rest of the string is kept.
 */

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** `text` with every lone surrogate replaced by U+FFFD (the same string when there is none). */
export function wellFormed(text: string): string {
  const s = text as string & { isWellFormed?: () => boolean; toWellFormed?: () => string };
  if (s.isWellFormed) return s.isWellFormed() ? text : s.toWellFormed!();
  return text.replace(LONE_SURROGATE, '\uFFFD');
}

/** A parsed JSON value with every string, object keys included, made well formed. */
export function wellFormedJson(value: unknown): unknown {
  if (typeof value === 'string') return wellFormed(value);
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) value[i] = wellFormedJson(value[i]);
    return value;
  }
  if (typeof value !== 'object' || value === null) return value;
  const obj = value as Record<string, unknown>;
  for (const key of Object.keys(obj)) {
    const fixed = wellFormed(key);
    const before = obj[key];
    const v = wellFormedJson(before);
    if (fixed === key && v === before) continue;
    if (fixed !== key) delete obj[key];
    // defineProperty, not assignment: a key such as `__proto__` must stay a plain own property.
    Object.defineProperty(obj, fixed, { value: v, enumerable: true, writable: true, configurable: true });
  }
  return obj;
}
