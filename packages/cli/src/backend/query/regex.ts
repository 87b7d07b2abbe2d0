/**
 * TraceQL regexes: Go RE2 syntax, fully anchored (Tempo treats `=~ "bar"` as `^bar$`). JS's
 * engine differs from RE2 in a few spellings, translated here, and in being backtracking, so
 * patterns RE2 rejects (backreferences, lookaround) and nested unbounded repeats, which can
 * take exponential time in JS, are refused rather than run.
 */

const POSIX_CLASSES: Record<string, string> = {
  alnum: '0-9A-Za-z', alpha: 'A-Za-z', ascii: '\\x00-\\x7F', blank: '\\t ', cntrl: '\\x00-\\x1F\\x7F',
  digit: '0-9', graph: '!-~', lower: 'a-z', print: ' -~', punct: '!-\\/:-@\\[-`{-~', space: '\\t\\n\\v\\f\\r ',
  upper: 'A-Z', word: '0-9A-Za-z_', xdigit: '0-9A-Fa-f',
};

const cache = new Map<string, RegExp>();

/**
 * Compiles a TraceQL regex into an anchored JS RegExp. Throws an Error whose message starts
 * with `error parsing regexp:` when the pattern is invalid or refused.
 */
export function compileRegex(pattern: string): RegExp {
  const hit = cache.get(pattern);
  if (hit) return hit;
  let body = pattern;
  // No `u` flag: RE2 accepts escapes of any punctuation (`\-`, `\#`), which u-mode rejects.
  // RE2 and JS agree that `.` excludes \n unless the s flag is set.
  let flags = '';
  const lead = /^\(\?([imsU]+)\)/.exec(body);
  if (lead) {
    if (lead[1].includes('U')) throw regexError('ungreedy flag (?U) is not supported', pattern);
    for (const f of lead[1]) if (!flags.includes(f)) flags += f;
    body = body.slice(lead[0].length);
  }
  if (/\(\?[=!]|\(\?<[=!]/.test(body)) throw regexError('invalid or unsupported Perl syntax: lookaround', pattern);
  if (/\\[1-9]/.test(body)) throw regexError('invalid escape sequence: backreference', pattern);
  body = body
    .replace(/\(\?P</g, '(?<')
    .replace(/\\A/g, '^')
    .replace(/\\z/g, '$')
    .replace(/\[:(\^?)([a-z]+):\]/g, (whole, neg: string, name: string) => {
      const cls = POSIX_CLASSES[name];
      if (!cls) throw regexError(`invalid character class range: ${whole}`, pattern);
      if (neg) throw regexError(`negated POSIX class ${whole} is not supported`, pattern);
      return cls;
    });
  if (hasNestedUnboundedRepeat(body)) {
    throw regexError('nested repetition like (a+)+ is refused (it can run in exponential time)', pattern);
  }
  let re: RegExp;
  try {
    re = new RegExp(`^(?:${body})$`, flags);
  } catch (err) {
    throw regexError((err as Error).message.replace(/^Invalid regular expression: \/.*\/[a-z]*: /s, ''), pattern);
  }
  if (cache.size > 500) cache.clear();
  cache.set(pattern, re);
  return re;
}

function regexError(reason: string, pattern: string): Error {
  return new Error(`error parsing regexp: ${reason}: \`${pattern}\``);
}

/** A group that contains an unbounded quantifier and is itself unboundedly repeated. */
function hasNestedUnboundedRepeat(body: string): boolean {
  // Stack of "this open group contains an unbounded quantifier".
  const stack: boolean[] = [];
  let inClass = false;
  for (let i = 0; i < body.length; i++) {
    const c = body[i];
    if (c === '\\') {
      i++;
      continue;
    }
    if (inClass) {
      if (c === ']') inClass = false;
      continue;
    }
    if (c === '[') inClass = true;
    else if (c === '(') stack.push(false);
    else if (c === ')') {
      const inner = stack.pop() ?? false;
      const unboundedAfter = isUnboundedQuantifier(body, i + 1);
      if (inner && unboundedAfter) return true;
      if ((inner || unboundedAfter) && stack.length) stack[stack.length - 1] = true;
    } else if (isUnboundedQuantifier(body, i) && stack.length) stack[stack.length - 1] = true;
  }
  return false;
}

function isUnboundedQuantifier(body: string, at: number): boolean {
  const c = body[at];
  if (c === '*' || c === '+') return true;
  return c === '{' && /^\{\d*,\}/.test(body.slice(at));
}
