/**
 * A recursive-descent parser for go-zero's `.api` files (syntax "v1", as goctl reads them):
 * `syntax`, `info (...)`, `import "x.api"` / `import (...)`, `type Name {...}` and `type (...)`
 * groups (with Go types, embedded structs and backquoted tags), and `@server (...)` +
 * `service name {...}` blocks of `@doc` / `@handler` / `method /path/:param (Req) returns (Resp)`
 * routes. It scans characters directly (the grammar has few tokens, and `key: value` lines and
 * paths are read as text, as goctl does). Every error is an {@link ApiSyntaxError} naming
 * file:line:col.
 */
import type { ApiFile, ApiRoute, Field, KeyValue, Pos, ServiceBlock, TypeDecl, TypeExpr } from './ast.ts';
import { ApiSyntaxError } from './errors.ts';

/** Go's predeclared types that a field may use. */
export const BASE_TYPES = new Set([
  'string', 'bool', 'byte', 'rune',
  'int', 'int8', 'int16', 'int32', 'int64',
  'uint', 'uint8', 'uint16', 'uint32', 'uint64',
  'float32', 'float64',
]);

const METHODS = new Set(['get', 'head', 'post', 'put', 'patch', 'delete', 'options']);

/** Parses the text of one `.api` file; `file` names it in errors. */
export function parseApi(source: string, file: string): ApiFile {
  return new Parser(source, file).file();
}

class Parser {
  private i = 0;
  private line = 1;
  private col = 1;

  constructor(
    private readonly src: string,
    private readonly name: string,
  ) {}

  file(): ApiFile {
    const api: ApiFile = { file: this.name, syntax: undefined, info: [], imports: [], types: [], services: [] };
    let pendingServer: KeyValue[] | undefined;
    for (;;) {
      this.skip();
      if (this.eof()) break;
      const pos = this.pos();
      if (this.peek() === '@') {
        const word = this.atWord();
        if (word !== 'server') throw this.error(pos, `expected @server before a service block, found @${word}`);
        if (pendingServer) throw this.error(pos, 'two @server blocks for one service');
        pendingServer = this.keyValues();
        continue;
      }
      const word = this.ident('a declaration (syntax, info, import, type, @server or service)');
      if (pendingServer && word !== 'service') throw this.error(pos, `expected service after @server, found ${word}`);
      switch (word) {
        case 'syntax':
          this.expect('=');
          api.syntax = this.string();
          if (api.syntax !== 'v1') throw this.error(pos, `unsupported syntax "${api.syntax}" (expected "v1")`);
          break;
        case 'info':
          api.info.push(...this.keyValues());
          break;
        case 'import':
          this.skip();
          if (this.peek() === '(') {
            this.next();
            for (;;) {
              this.skip();
              if (this.peek() === ')') {
                this.next();
                break;
              }
              api.imports.push({ pos: this.pos(), path: this.string() });
            }
          } else api.imports.push({ pos: this.pos(), path: this.string() });
          break;
        case 'type':
          api.types.push(...this.typeDecls());
          break;
        case 'service':
          api.services.push(this.service(pos, pendingServer ?? []));
          pendingServer = undefined;
          break;
        default:
          throw this.error(pos, `unexpected ${word}: expected syntax, info, import, type, @server or service`);
      }
    }
    if (pendingServer) throw this.error(this.pos(), '@server block without a service');
    return api;
  }

  // ---- declarations ----------------------------------------------------------------------

  private typeDecls(): TypeDecl[] {
    this.skip();
    if (this.peek() !== '(') return [this.typeDecl()];
    this.next();
    const decls: TypeDecl[] = [];
    for (;;) {
      this.skip();
      if (this.peek() === ')') {
        this.next();
        return decls;
      }
      if (this.eof()) throw this.error(this.pos(), 'unclosed type ( group: expected )');
      decls.push(this.typeDecl());
    }
  }

  private typeDecl(): TypeDecl {
    this.skip();
    const pos = this.pos();
    const name = this.ident('a type name');
    this.skip();
    if (this.src.startsWith('struct', this.i) && !isIdentChar(this.src[this.i + 6] ?? '')) this.ident('struct');
    this.skip();
    if (this.peek() === '=') throw this.error(this.pos(), 'type aliases are not supported: declare a struct');
    return { name, fields: this.structBody(), pos };
  }

  private structBody(): Field[] {
    this.expect('{');
    const fields: Field[] = [];
    for (;;) {
      this.skipSpaceAndComments(true);
      if (this.peek() === '}') {
        this.next();
        return fields;
      }
      if (this.eof()) throw this.error(this.pos(), 'unclosed struct: expected }');
      if (this.peek() === '\n' || this.peek() === ';') {
        this.next();
        continue;
      }
      fields.push(this.field());
    }
  }

  private field(): Field {
    const pos = this.pos();
    if (this.peek() === '*') {
      // An embedded pointer: `*Base`.
      const type = this.typeExpr();
      return { name: undefined, type, tag: this.optionalTag(), pos };
    }
    const first = this.ident('a field name or an embedded type');
    this.skipInline();
    const c = this.peek();
    if (c === '\n' || c === '}' || c === ';' || c === '`' || c === '/' || this.eof()) {
      // Embedded: the name alone on its line.
      return { name: undefined, type: this.named(first, pos), tag: this.optionalTag(), pos };
    }
    const type = this.typeExpr();
    return { name: first, type, tag: this.optionalTag(), pos };
  }

  private optionalTag(): string | undefined {
    this.skipInline();
    if (this.peek() !== '`') return undefined;
    const pos = this.pos();
    this.next();
    const start = this.i;
    while (!this.eof() && this.peek() !== '`') {
      if (this.peek() === '\n') throw this.error(pos, 'unterminated tag: expected ` before the end of the line');
      this.next();
    }
    if (this.eof()) throw this.error(pos, 'unterminated tag');
    const tag = this.src.slice(start, this.i);
    this.next();
    return tag;
  }

  private typeExpr(): TypeExpr {
    this.skipInline();
    const pos = this.pos();
    const c = this.peek();
    if (c === '*') {
      this.next();
      return { kind: 'pointer', elem: this.typeExpr(), pos };
    }
    if (c === '[') {
      this.next();
      this.skipInline();
      while (/[0-9]/.test(this.peek())) this.next(); // [N]T reads as a list
      this.skipInline();
      this.expect(']');
      return { kind: 'array', elem: this.typeExpr(), pos };
    }
    if (c === '{') return { kind: 'struct', fields: this.structBody(), pos };
    const word = this.ident('a type');
    if (word === 'map') {
      this.expect('[');
      const key = this.typeExpr();
      this.expect(']');
      return { kind: 'map', key, value: this.typeExpr(), pos };
    }
    if (word === 'interface') {
      this.skipInline();
      this.expect('{');
      this.skipInline();
      this.expect('}');
      return { kind: 'any', pos };
    }
    if (word === 'struct') {
      this.skipInline();
      return { kind: 'struct', fields: this.structBody(), pos };
    }
    return this.named(word, pos);
  }

  private named(word: string, pos: Pos): TypeExpr {
    if (word === 'any') return { kind: 'any', pos };
    if (this.peek() === '.') throw this.error(this.pos(), `qualified types (${word}.X) are not supported: declare the type in a .api file`);
    return BASE_TYPES.has(word) ? { kind: 'base', name: word, pos } : { kind: 'ref', name: word, pos };
  }

  // ---- services -----------------------------------------------------------------------

  private service(pos: Pos, server: KeyValue[]): ServiceBlock {
    this.skip();
    const name = this.serviceName();
    this.expect('{');
    const routes: ApiRoute[] = [];
    let doc: string | undefined;
    let handler: { name: string; pos: Pos } | undefined;
    for (;;) {
      this.skip();
      if (this.peek() === '}') {
        this.next();
        if (handler) throw this.error(handler.pos, `@handler ${handler.name} has no route after it`);
        return { name, server, routes, pos };
      }
      if (this.eof()) throw this.error(this.pos(), `unclosed service ${name}: expected }`);
      const at = this.pos();
      if (this.peek() === '@') {
        const word = this.atWord();
        if (word === 'doc') {
          this.skip();
          if (this.peek() === '(') doc = this.keyValues().map((kv) => kv.value).join(' ');
          else doc = this.string();
        } else if (word === 'handler') {
          if (handler) throw this.error(at, `@handler ${handler.name} has no route after it`);
          this.skip();
          handler = { name: this.ident('a handler name'), pos: at };
        } else throw this.error(at, `unknown @${word} in a service: expected @doc or @handler`);
        continue;
      }
      const method = this.ident('a route (get, post, put, patch, delete, head, options)');
      if (!METHODS.has(method.toLowerCase())) throw this.error(at, `unknown HTTP method ${method}`);
      if (!handler) throw this.error(at, `route ${method} has no @handler before it`);
      this.skipInline();
      const path = this.path();
      this.skipInline();
      let request: TypeExpr | undefined;
      let response: TypeExpr | undefined;
      if (this.peek() === '(') {
        this.next();
        request = this.typeExpr();
        this.skipInline();
        this.expect(')');
        this.skipInline();
      }
      if (isIdentChar(this.peek())) {
        const returns = this.pos();
        const word = this.ident('returns');
        if (word !== 'returns') throw this.error(returns, `expected returns, found ${word}`);
        this.skipInline();
        this.expect('(');
        response = this.typeExpr();
        this.skipInline();
        this.expect(')');
      }
      routes.push({ handler: handler.name, doc, method: method.toLowerCase(), path, request, response, pos: handler.pos });
      handler = undefined;
      doc = undefined;
    }
  }

  private serviceName(): string {
    let name = this.ident('a service name');
    while (this.peek() === '-' && isIdentChar(this.src[this.i + 1] ?? '')) {
      this.next();
      name += `-${this.ident('a service name')}`;
    }
    return name;
  }

  private path(): string {
    const pos = this.pos();
    if (this.peek() !== '/') throw this.error(pos, 'expected a path starting with /');
    const start = this.i;
    while (!this.eof() && /[A-Za-z0-9_\-./:{}]/.test(this.peek())) this.next();
    const path = this.src.slice(start, this.i);
    for (const segment of path.split('/').slice(1)) {
      if (segment === '' && path !== '/') throw this.error(pos, `empty segment in path ${path}`);
      if (segment.startsWith(':') && !/^:[A-Za-z_][A-Za-z0-9_]*$/.test(segment)) throw this.error(pos, `bad path parameter ${segment} in ${path}`);
    }
    return path;
  }

  // ---- key: value blocks ---------------------------------------------------------------

  /** `( key: value ... )`, each value the rest of its line (go-zero's form). */
  private keyValues(): KeyValue[] {
    this.skip();
    this.expect('(');
    const pairs: KeyValue[] = [];
    for (;;) {
      this.skip();
      if (this.peek() === ')') {
        this.next();
        return pairs;
      }
      if (this.eof()) throw this.error(this.pos(), 'unclosed ( block: expected )');
      const pos = this.pos();
      const key = this.ident('a key');
      this.skipInline();
      this.expect(':');
      this.skipInline();
      const start = this.i;
      while (!this.eof() && this.peek() !== '\n' && !this.src.startsWith('//', this.i) && !(this.peek() === ')' && this.isBlockEnd())) this.next();
      let value = this.src.slice(start, this.i).trim();
      if (value.length >= 2 && value.startsWith('"') && value.endsWith('"')) value = value.slice(1, -1);
      if (value === '') throw this.error(pos, `${key} has no value`);
      pairs.push({ key, value, pos });
    }
  }

  /** A `)` that closes the block: nothing but spaces and comments after it on its line. */
  private isBlockEnd(): boolean {
    const rest = this.src.slice(this.i + 1, this.src.indexOf('\n', this.i) < 0 ? undefined : this.src.indexOf('\n', this.i));
    return /^\s*(\/\/.*)?$/.test(rest);
  }

  // ---- scanning ------------------------------------------------------------------------

  private pos(): Pos {
    return { file: this.name, line: this.line, col: this.col };
  }

  private error(pos: Pos, message: string): ApiSyntaxError {
    return new ApiSyntaxError(pos, message);
  }

  private eof(): boolean {
    return this.i >= this.src.length;
  }

  private peek(): string {
    return this.src[this.i] ?? '';
  }

  private next(): string {
    const c = this.src[this.i++] ?? '';
    if (c === '\n') {
      this.line++;
      this.col = 1;
    } else this.col++;
    return c;
  }

  /** Skips spaces, newlines and comments. */
  private skip(): void {
    this.skipSpaceAndComments(false);
  }

  /** Skips spaces and comments on this line only (tabs too), stopping at a newline. */
  private skipInline(): void {
    for (;;) {
      const c = this.peek();
      if (c === ' ' || c === '\t' || c === '\r') this.next();
      else if (this.src.startsWith('/*', this.i)) this.blockComment();
      else return;
    }
  }

  private skipSpaceAndComments(stopAtNewline: boolean): void {
    for (;;) {
      const c = this.peek();
      if (c === ' ' || c === '\t' || c === '\r' || (c === '\n' && !stopAtNewline)) this.next();
      else if (this.src.startsWith('//', this.i)) while (!this.eof() && this.peek() !== '\n') this.next();
      else if (this.src.startsWith('/*', this.i)) this.blockComment();
      else return;
    }
  }

  private blockComment(): void {
    const pos = this.pos();
    const end = this.src.indexOf('*/', this.i + 2);
    if (end < 0) throw this.error(pos, 'unterminated /* comment');
    while (this.i < end + 2) this.next();
  }

  private expect(c: string): void {
    this.skipInline();
    if (this.peek() !== c) throw this.error(this.pos(), `expected ${c}, found ${this.describe()}`);
    this.next();
  }

  private ident(what: string): string {
    this.skipInline();
    if (!/[A-Za-z_]/.test(this.peek())) throw this.error(this.pos(), `expected ${what}, found ${this.describe()}`);
    const start = this.i;
    while (isIdentChar(this.peek())) this.next();
    return this.src.slice(start, this.i);
  }

  private atWord(): string {
    this.next(); // @
    return this.ident('a word after @');
  }

  private string(): string {
    this.skipInline();
    const pos = this.pos();
    if (this.peek() !== '"') throw this.error(pos, `expected a "string", found ${this.describe()}`);
    this.next();
    let out = '';
    while (!this.eof() && this.peek() !== '"') {
      if (this.peek() === '\n') throw this.error(pos, 'unterminated string');
      if (this.peek() === '\\') this.next();
      out += this.next();
    }
    if (this.eof()) throw this.error(pos, 'unterminated string');
    this.next();
    return out;
  }

  private describe(): string {
    if (this.eof()) return 'the end of the file';
    const c = this.peek();
    if (c === '\n') return 'the end of the line';
    const word = /^[A-Za-z_][A-Za-z0-9_]*/.exec(this.src.slice(this.i))?.[0];
    return word ?? `"${c}"`;
  }
}

function isIdentChar(c: string): boolean {
  return /[A-Za-z0-9_]/.test(c);
}
