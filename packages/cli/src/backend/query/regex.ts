/**
 * TraceQL regexes: Go RE2 syntax, fully anchored (Tempo treats `=~ "bar"` as `^bar$`), run by
 * re2js, a JavaScript port of RE2. Like Go's regexp (what Tempo uses) it matches in time linear
 * in the input whatever the pattern, so no query can stall the process with a pattern such as
 * `(a|a)*b` against a long attribute; JS's own backtracking RegExp could (see DESIGN.md).
 */
import { RE2JS } from 're2js';

/** A compiled TraceQL regex. */
export interface TraceqlRegex {
  /** True when the whole of `input` matches (TraceQL regexes are anchored at both ends). */
  test(input: string): boolean;
}

const cache = new Map<string, TraceqlRegex>();
/** Distinct patterns kept compiled; a query names a few, so this only bounds a hostile stream of them. */
const CACHE_LIMIT = 500;

/**
 * Compiles a TraceQL regex. Throws an Error whose message is Go's, starting with
 * `error parsing regexp:`, when the pattern is not valid RE2 (lookaround, backreferences,
 * an unclosed `[`...).
 */
export function compileRegex(pattern: string): TraceqlRegex {
  const hit = cache.get(pattern);
  if (hit) return hit;
  let re: RE2JS;
  try {
    re = RE2JS.compile(pattern);
  } catch (err) {
    const message = (err as Error).message;
    throw new Error(message.startsWith('error parsing regexp:') ? message : `error parsing regexp: ${message}: \`${pattern}\``);
  }
  const compiled: TraceqlRegex = { test: (input) => re.testExact(input) };
  if (cache.size >= CACHE_LIMIT) cache.clear();
  cache.set(pattern, compiled);
  return compiled;
}
