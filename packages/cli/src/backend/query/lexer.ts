/**
 * TraceQL lexer: source text → tokens with 1-based line/col. Attribute names are lexed whole
 * (`span.http.status_code`, `."a b"`), as Tempo's lexer does, because they may contain dots and
 * other characters that are operators elsewhere.
 */
import type { AttributeScope, IntrinsicName } from './ast.ts';
import { TraceQLParseError } from './errors.ts';

export type TokenKind =
  | 'eof'
  | 'string'
  | 'int'
  | 'float'
  | 'duration'
  | 'ident'
  | 'keyword'
  | 'op'
  | 'attribute'
  | 'scopedIntrinsic';

export interface Token {
  kind: TokenKind;
  /** Keyword or operator text; for other kinds the source text. */
  text: string;
  line: number;
  col: number;
  /** string / attribute name (decoded), or the number for int/float/duration (nanos). */
  value?: string | number;
  /** For attributes. */
  scope?: AttributeScope;
  parent?: boolean;
  /** For scoped intrinsics (`span:name`). */
  intrinsic?: IntrinsicName;
}

/** Words that are not identifiers. */
export const KEYWORDS = new Set([
  'true', 'false', 'nil',
  'ok', 'error', 'unset',
  'unspecified', 'internal', 'server', 'client', 'producer', 'consumer',
  'duration', 'childCount', 'name', 'status', 'statusMessage', 'kind',
  'rootName', 'rootServiceName', 'traceDuration', 'parent',
  'nestedSetLeft', 'nestedSetRight', 'nestedSetParent',
  'count', 'avg', 'max', 'min', 'sum', 'by', 'coalesce', 'select', 'with',
  'rate', 'count_over_time', 'min_over_time', 'max_over_time', 'sum_over_time', 'avg_over_time',
  'quantile_over_time', 'histogram_over_time', 'compare', 'topk', 'bottomk',
]);

// Longest first, so that `!>>` wins over `!>` and `!`.
const OPERATORS = [
  '!>>', '!<<', '&>>', '&<<',
  '>>', '<<', '>=', '<=', '!=', '=~', '!~', '!>', '!<', '&&', '||', '&>', '&<', '&~',
  '=', '>', '<', '!', '~', '|', '{', '}', '(', ')', ',', '+', '-', '*', '/', '%', '^',
];

const ATTRIBUTE_SCOPES: Record<string, AttributeScope> = {
  span: 'span',
  resource: 'resource',
  event: 'event',
  link: 'link',
  instrumentation: 'instrumentation',
};

const SCOPED_INTRINSICS: Record<string, Record<string, IntrinsicName>> = {
  span: {
    name: 'name', status: 'status', statusMessage: 'statusMessage', kind: 'kind',
    duration: 'duration', id: 'spanID', parentID: 'parentID', childCount: 'childCount',
    nestedSetLeft: 'nestedSetLeft', nestedSetRight: 'nestedSetRight', nestedSetParent: 'nestedSetParent',
  },
  trace: { duration: 'traceDuration', rootName: 'rootName', rootService: 'rootServiceName', id: 'traceID' },
  event: { name: 'eventName', timeSinceStart: 'eventTimeSinceStart' },
  link: { traceID: 'linkTraceID', spanID: 'linkSpanID' },
  instrumentation: { name: 'instrumentationName', version: 'instrumentationVersion' },
};

const DURATION_UNITS: Record<string, number> = {
  ns: 1, us: 1e3, 'µs': 1e3, ms: 1e6, s: 1e9, m: 60e9, h: 3600e9, d: 86400e9, w: 7 * 86400e9, y: 365 * 86400e9,
};

/** True for characters that may appear unquoted in an attribute name (Tempo's rule). */
export function isAttributeChar(c: string | undefined): boolean {
  if (c === undefined || /\s/.test(c)) return false;
  return !'{}()=~!<>&|^,"'.includes(c);
}

const isWordStart = (c: string | undefined) => c !== undefined && /[A-Za-z_]/.test(c);
const isWordChar = (c: string | undefined) => c !== undefined && /[A-Za-z0-9_]/.test(c);
const isDigit = (c: string | undefined) => c !== undefined && c >= '0' && c <= '9';

/** Parses `1h30m`, `1.5s`, `100ms`... into nanoseconds; undefined if not a duration. */
export function parseDuration(text: string): number | undefined {
  const re = /(\d+(?:\.\d*)?|\.\d+)(ns|us|µs|ms|s|m|h|d|w|y)/y;
  let total = 0;
  let at = 0;
  while (at < text.length) {
    re.lastIndex = at;
    const m = re.exec(text);
    if (!m) return undefined;
    total += Number(m[1]) * DURATION_UNITS[m[2]];
    at = re.lastIndex;
  }
  return at > 0 ? Math.round(total) : undefined;
}

/** Turns a query into tokens, ending with one `eof` token. Throws TraceQLParseError. */
export function tokenize(source: string): Token[] {
  return new Lexer(source).run();
}

class Lexer {
  private readonly chars: string[];
  private pos = 0;
  private line = 1;
  private col = 1;
  private readonly tokens: Token[] = [];

  constructor(source: string) {
    // Code points, so columns count characters as Go's scanner does.
    this.chars = Array.from(source);
  }

  run(): Token[] {
    for (;;) {
      this.skipSpace();
      const c = this.peek();
      const line = this.line;
      const col = this.col;
      if (c === undefined) {
        this.tokens.push({ kind: 'eof', text: '$end', line, col });
        return this.tokens;
      }
      if (c === '"' || c === '`') this.lexString(line, col);
      else if (isDigit(c) || (c === '.' && isDigit(this.peek(1)))) this.lexNumber(line, col);
      else if (c === '.') {
        this.next();
        this.lexAttribute('none', false, line, col, '.');
      } else if (isWordStart(c)) this.lexWord(line, col);
      else this.lexOperator(line, col);
    }
  }

  private peek(offset = 0): string | undefined {
    return this.chars[this.pos + offset];
  }

  private next(): string {
    const c = this.chars[this.pos++];
    if (c === '\n') {
      this.line++;
      this.col = 1;
    } else this.col++;
    return c;
  }

  private fail(reason: string, line = this.line, col = this.col): never {
    throw new TraceQLParseError(reason, line, col);
  }

  private skipSpace(): void {
    while (this.peek() !== undefined && /\s/.test(this.peek()!)) this.next();
  }

  private lexOperator(line: number, col: number): void {
    for (const op of OPERATORS) {
      if (this.chars.slice(this.pos, this.pos + op.length).join('') === op) {
        for (let i = 0; i < op.length; i++) this.next();
        this.tokens.push({ kind: 'op', text: op, line, col });
        return;
      }
    }
    this.fail(`syntax error: unexpected ${this.peek()}`);
  }

  private lexWord(line: number, col: number): void {
    let word = '';
    while (isWordChar(this.peek())) word += this.next();
    const after = this.peek();
    if (after === '.' && (word in ATTRIBUTE_SCOPES || word === 'parent')) {
      this.next();
      if (word === 'parent') {
        // `parent.span.x` / `parent.resource.x` / `parent.x`
        for (const inner of ['span', 'resource'] as const) {
          const prefix = Array.from(`${inner}.`);
          if (prefix.every((ch, i) => this.peek(i) === ch)) {
            prefix.forEach(() => this.next());
            return this.lexAttribute(inner, true, line, col, `parent.${inner}.`);
          }
        }
        return this.lexAttribute('none', true, line, col, 'parent.');
      }
      return this.lexAttribute(ATTRIBUTE_SCOPES[word], false, line, col, `${word}.`);
    }
    if (after === ':' && word in SCOPED_INTRINSICS) {
      this.next();
      const nameLine = this.line;
      const nameCol = this.col;
      let name = '';
      while (isWordChar(this.peek())) name += this.next();
      const found = SCOPED_INTRINSICS[word][name];
      if (!found) {
        const shown = name === '' ? (this.peek() ?? '$end') : KEYWORDS.has(name) ? name : 'IDENTIFIER';
        this.fail(`syntax error: unexpected ${shown}`, nameLine, nameCol);
      }
      this.tokens.push({ kind: 'scopedIntrinsic', text: `${word}:${name}`, line, col, intrinsic: found });
      return;
    }
    this.tokens.push({ kind: KEYWORDS.has(word) ? 'keyword' : 'ident', text: word, line, col, value: word });
  }

  private lexAttribute(scope: AttributeScope, parent: boolean, line: number, col: number, prefix: string): void {
    let name = '';
    let quoted = false;
    for (;;) {
      const c = this.peek();
      if (c === '"') {
        quoted = true;
        name += this.lexQuotedAttributePart();
      } else if (isAttributeChar(c)) name += this.next();
      else break;
    }
    if (name === '' && !quoted) this.fail('syntax error: unexpected END_ATTRIBUTE, expecting IDENTIFIER');
    this.tokens.push({ kind: 'attribute', text: prefix, line, col, value: name, scope, parent });
  }

  private lexQuotedAttributePart(): string {
    this.next(); // opening quote
    let out = '';
    for (;;) {
      const c = this.peek();
      if (c === undefined) this.fail('unexpected EOF, expecting "');
      if (c === '"') {
        this.next();
        return out;
      }
      if (c === '\\') {
        this.next();
        const e = this.peek();
        if (e !== '"' && e !== '\\') this.fail('invalid escape sequence');
        out += this.next();
      } else out += this.next();
    }
  }

  /** A number; a leading dot (`.5`) starts a float, as Go's scanner reads it, not an attribute. */
  private lexNumber(line: number, col: number): void {
    let text = '';
    while (isDigit(this.peek())) text += this.next();
    let isFloat = false;
    if (this.peek() === '.' && isDigit(this.peek(1))) {
      if (text === '') text = '0';
      isFloat = true;
      text += this.next();
      while (isDigit(this.peek())) text += this.next();
    }
    // A unit right after the number makes a duration (`100ms`, `1h30m`, `1.5s`).
    let suffix = '';
    for (let i = 0; ; i++) {
      const c = this.peek(i);
      if (c === undefined || !/[0-9.nsuµmhdwy]/.test(c)) break;
      suffix += c;
    }
    if (suffix !== '' && /^[nsuµmhdwy]/.test(suffix)) {
      const nanos = parseDuration(text + suffix);
      if (nanos !== undefined) {
        for (let i = 0; i < suffix.length; i++) this.next();
        this.tokens.push({ kind: 'duration', text: text + suffix, line, col, value: nanos });
        return;
      }
    }
    if ((this.peek() === 'e' || this.peek() === 'E') && (isDigit(this.peek(1)) || (/[+-]/.test(this.peek(1) ?? '') && isDigit(this.peek(2))))) {
      isFloat = true;
      text += this.next() + this.next();
      while (isDigit(this.peek())) text += this.next();
    }
    // Tempo reads integers as Go ints: past int64 it is a parse error, not a silent float.
    if (!isFloat && BigInt(text) > 9223372036854775807n) this.fail(`strconv.Atoi: parsing "${text}": value out of range`, line, col);
    this.tokens.push({ kind: isFloat ? 'float' : 'int', text, line, col, value: Number(text) });
  }

  private lexString(line: number, col: number): void {
    const quote = this.next();
    let out = '';
    for (;;) {
      const c = this.peek();
      if (c === undefined || (c === '\n' && quote === '"')) this.fail('literal not terminated', line, col);
      this.next();
      if (c === quote) break;
      if (c === '\\' && quote === '"') out += this.lexEscape();
      else out += c;
    }
    this.tokens.push({ kind: 'string', text: 'STRING', line, col, value: out });
  }

  private lexEscape(): string {
    const line = this.line;
    const col = this.col - 1;
    const c = this.next();
    const simple: Record<string, string> = {
      a: '\x07', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t', v: '\v', '\\': '\\', '"': '"', "'": "'",
    };
    if (c !== undefined && c in simple) return simple[c];
    const hexDigits = c === 'x' ? 2 : c === 'u' ? 4 : c === 'U' ? 8 : 0;
    if (hexDigits > 0) {
      let hex = '';
      for (let i = 0; i < hexDigits; i++) {
        const h = this.peek();
        if (h === undefined || !/[0-9a-fA-F]/.test(h)) this.fail('invalid char escape', line, col);
        hex += this.next();
      }
      const code = parseInt(hex, 16);
      if (code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff)) this.fail('invalid char escape', line, col);
      return String.fromCodePoint(code);
    }
    if (c !== undefined && /[0-7]/.test(c)) {
      let oct = c;
      for (let i = 0; i < 2; i++) {
        const o = this.peek();
        if (o === undefined || !/[0-7]/.test(o)) this.fail('invalid char escape', line, col);
        oct += this.next();
      }
      const code = parseInt(oct, 8);
      if (code > 255) this.fail('invalid char escape', line, col);
      return String.fromCharCode(code);
    }
    return this.fail('invalid char escape', line, col);
  }
}
