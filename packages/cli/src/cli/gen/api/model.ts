/**
 * The checked meaning of a `.api` file and its imports: types with their fields' wire names and
 * tag options resolved (embedded structs flattened), and routes grouped as the `@server` blocks
 * say. Meaning errors (unknown type, bad tag, a path parameter with no `path:` field, two
 * handlers of one name, …) are {@link ApiSyntaxError}s at the offending place.
 */
import { readFileSync } from 'node:fs';
import { dirname, relative, resolve } from 'node:path';
import type { ApiFile, ApiRoute, Field, KeyValue, Pos, TypeDecl, TypeExpr } from './ast.ts';
import { ApiSyntaxError } from './errors.ts';
import { parseApi } from './parser.ts';

/** Where a request field is read from (go-zero's httpx.Parse). */
export type FieldSource = 'json' | 'path' | 'form' | 'header';

export interface ModelField {
  /** The TypeScript property: the tag's name (`id`), or the Go name camel-cased for headers. */
  prop: string;
  /** The name on the wire: JSON key, path parameter, query key or header name. */
  wire: string;
  source: FieldSource;
  type: TypeExpr;
  optional: boolean;
  defaultValue: string | undefined;
  options: string[] | undefined;
  range: { min?: number; max?: number; minExclusive: boolean; maxExclusive: boolean } | undefined;
  pos: Pos;
}

export interface ModelType {
  name: string;
  fields: ModelField[];
  pos: Pos;
}

export interface ModelRoute extends ApiRoute {
  /** The full path with the group prefix: `/api/v1/order/:id`. */
  fullPath: string;
  group: string | undefined;
  middlewares: string[];
  timeoutMs: number | undefined;
}

export interface ApiModel {
  /** The service name (`order-api`). */
  service: string;
  info: KeyValue[];
  types: Map<string, ModelType>;
  routes: ModelRoute[];
  /** Every middleware any group names, in first-use order. */
  middlewares: string[];
}

/** Reads, parses and checks `file` and what it imports. */
export function loadApi(file: string): ApiModel {
  const files: ApiFile[] = [];
  const seen = new Set<string>();
  const visit = (path: string, shown: string, from?: Pos) => {
    const full = resolve(path);
    if (seen.has(full)) return;
    seen.add(full);
    let text: string;
    try {
      text = readFileSync(full, 'utf8');
    } catch (err) {
      if (from) throw new ApiSyntaxError(from, `cannot read imported ${shown}: ${(err as Error).message}`);
      throw err;
    }
    const api = parseApi(text, shown);
    files.push(api);
    for (const imp of api.imports) visit(resolve(dirname(full), imp.path), relative(process.cwd(), resolve(dirname(full), imp.path)), imp.pos);
  };
  visit(file, relative(process.cwd(), resolve(file)) || file);
  return buildModel(files);
}

/** Checks parsed files (the first is the main one) and builds the model. */
export function buildModel(files: ApiFile[]): ApiModel {
  const decls = new Map<string, TypeDecl>();
  for (const api of files) {
    for (const decl of api.types) {
      const before = decls.get(decl.name);
      if (before) throw new ApiSyntaxError(decl.pos, `type ${decl.name} is declared twice (first at ${at(before.pos)})`);
      decls.set(decl.name, decl);
    }
  }
  const types = new Map<string, ModelType>();
  for (const decl of decls.values()) types.set(decl.name, { name: decl.name, fields: modelFields(decl.fields, decls, [decl.name]), pos: decl.pos });

  const main = files[0]!;
  const blocks = files.flatMap((f) => f.services);
  if (blocks.length === 0) throw new ApiSyntaxError({ file: main.file, line: 1, col: 1 }, 'no service block');
  const service = blocks[0]!.name;
  const routes: ModelRoute[] = [];
  const middlewares: string[] = [];
  const handlers = new Map<string, Pos>();
  const paths = new Map<string, Pos>();
  for (const block of blocks) {
    if (block.name !== service) throw new ApiSyntaxError(block.pos, `every service block must be named ${service}, found ${block.name}`);
    const server = serverOptions(block.server);
    for (const m of server.middlewares) if (!middlewares.includes(m)) middlewares.push(m);
    for (const route of block.routes) {
      const key = `${server.group ?? ''}/${route.handler}`;
      const before = handlers.get(key);
      if (before) throw new ApiSyntaxError(route.pos, `@handler ${route.handler} is declared twice${server.group ? ` in group ${server.group}` : ''} (first at ${at(before)})`);
      handlers.set(key, route.pos);
      const fullPath = joinPath(server.prefix, route.path);
      const pathKey = `${route.method} ${fullPath.replace(/:[A-Za-z0-9_]+/g, ':')}`;
      const other = paths.get(pathKey);
      if (other) throw new ApiSyntaxError(route.pos, `${route.method} ${fullPath} is already routed (at ${at(other)})`);
      paths.set(pathKey, route.pos);
      for (const type of [route.request, route.response]) if (type) checkType(type, decls);
      if (route.request && route.request.kind !== 'ref') throw new ApiSyntaxError(route.request.pos, 'a request must be a named struct type');
      checkPathParams(route, fullPath, route.request ? types.get((route.request as { name: string }).name) : undefined);
      routes.push({ ...route, fullPath, group: server.group, middlewares: server.middlewares, timeoutMs: server.timeoutMs });
    }
  }
  return { service, info: main.info, types, routes, middlewares };
}

function at(pos: Pos): string {
  return `${pos.file}:${pos.line}:${pos.col}`;
}

function joinPath(prefix: string | undefined, path: string): string {
  if (!prefix) return path;
  const p = prefix.endsWith('/') ? prefix.slice(0, -1) : prefix;
  return path === '/' ? p : `${p}${path}`;
}

const SERVER_KEYS = new Set(['group', 'prefix', 'middleware', 'timeout', 'jwt', 'maxBytes', 'signature', 'summary', 'tags']);

function serverOptions(pairs: KeyValue[]) {
  const out: { group?: string; prefix?: string; middlewares: string[]; timeoutMs?: number } = { middlewares: [] };
  for (const { key, value, pos } of pairs) {
    if (!SERVER_KEYS.has(key)) throw new ApiSyntaxError(pos, `unknown @server key ${key} (expected group, prefix, middleware, timeout)`);
    switch (key) {
      case 'group':
        if (!/^[A-Za-z_][A-Za-z0-9_/-]*$/.test(value)) throw new ApiSyntaxError(pos, `bad group ${value}`);
        out.group = value;
        break;
      case 'prefix':
        if (!/^\/[A-Za-z0-9_\-./]*$/.test(value)) throw new ApiSyntaxError(pos, `prefix must be a path starting with /, got ${value}`);
        out.prefix = value;
        break;
      case 'middleware':
        out.middlewares = value.split(',').map((m) => m.trim());
        for (const m of out.middlewares) if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(m)) throw new ApiSyntaxError(pos, `bad middleware name "${m}"`);
        break;
      case 'timeout':
        out.timeoutMs = durationMs(value, pos);
        break;
      case 'jwt':
        throw new ApiSyntaxError(pos, 'jwt is not generated yet: name an auth middleware instead (middleware: Auth) and check the token there');
      default:
        break; // maxBytes, signature, summary, tags: accepted, no effect here
    }
  }
  return out;
}

/** Go durations as go-zero writes them: `3s`, `500ms`, `1m30s`. */
function durationMs(value: string, pos: Pos): number {
  const units: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };
  const parts = [...value.matchAll(/(\d+(?:\.\d+)?)(ms|s|m|h)/g)];
  if (parts.length === 0 || parts.map((p) => p[0]).join('') !== value) throw new ApiSyntaxError(pos, `bad duration ${value} (e.g. 3s, 500ms)`);
  return parts.reduce((sum, p) => sum + Number(p[1]) * units[p[2]!]!, 0);
}

function checkType(type: TypeExpr, decls: Map<string, TypeDecl>): void {
  switch (type.kind) {
    case 'ref':
      if (!decls.has(type.name)) throw new ApiSyntaxError(type.pos, `unknown type ${type.name}`);
      return;
    case 'array':
    case 'pointer':
      return checkType(type.elem, decls);
    case 'map':
      if (type.key.kind !== 'base' || !['string', 'int', 'int32', 'int64', 'uint', 'uint32', 'uint64'].includes(type.key.name)) {
        throw new ApiSyntaxError(type.key.pos, 'map keys must be string or an integer type');
      }
      return checkType(type.value, decls);
    case 'struct':
      for (const f of type.fields) checkType(f.type, decls);
      return;
    default:
      return;
  }
}

function checkPathParams(route: ApiRoute, fullPath: string, request: ModelType | undefined): void {
  const params = [...fullPath.matchAll(/:([A-Za-z_][A-Za-z0-9_]*)/g)].map((m) => m[1]!);
  const fromPath = new Set(request?.fields.filter((f) => f.source === 'path').map((f) => f.wire));
  for (const p of params) {
    if (!fromPath.has(p)) throw new ApiSyntaxError(route.pos, `path parameter :${p} of ${fullPath} needs a field tagged path:"${p}" in the request type`);
  }
  for (const f of request?.fields ?? []) {
    if (f.source === 'path' && !params.includes(f.wire)) throw new ApiSyntaxError(f.pos, `field tagged path:"${f.wire}" but ${fullPath} has no :${f.wire}`);
  }
}

/** A struct's fields with embedded types flattened and tags read. */
function modelFields(fields: Field[], decls: Map<string, TypeDecl>, stack: string[]): ModelField[] {
  const out: ModelField[] = [];
  for (const field of fields) {
    checkType(field.type, decls);
    if (field.name === undefined) {
      const target = field.type.kind === 'pointer' ? field.type.elem : field.type;
      if (target.kind !== 'ref') throw new ApiSyntaxError(field.pos, 'only named struct types can be embedded');
      if (stack.includes(target.name)) throw new ApiSyntaxError(field.pos, `${target.name} embeds itself`);
      out.push(...modelFields(decls.get(target.name)!.fields, decls, [...stack, target.name]));
      continue;
    }
    out.push(readTag(field));
  }
  const seen = new Map<string, Pos>();
  for (const f of out) {
    const key = `${f.source}:${f.prop}`;
    if (seen.has(key)) throw new ApiSyntaxError(f.pos, `two fields are named ${f.prop} (first at ${at(seen.get(key)!)})`);
    seen.set(key, f.pos);
  }
  return out;
}

/** `json:"name,optional"`, `path:"id"`, `form:"page,default=1,range=[1:100]"`, `header:"X-Token"`. */
function readTag(field: Field): ModelField {
  const name = field.name!;
  const entries = [...(field.tag ?? '').matchAll(/(\w+):"([^"]*)"/g)];
  const own = entries.find((e) => ['json', 'path', 'form', 'header'].includes(e[1]!));
  const source = (own?.[1] ?? 'json') as FieldSource;
  const [wireName = '', ...opts] = splitOptions(own?.[2] ?? '');
  const wire = wireName === '' ? name : wireName;
  if (wire === '-') throw new ApiSyntaxError(field.pos, `field ${name} is tagged "-": leave it out of the .api instead`);
  const f: ModelField = {
    prop: source === 'header' ? lowerFirst(name) : wire,
    wire: source === 'header' ? wire.toLowerCase() : wire,
    source,
    type: field.type,
    optional: field.type.kind === 'pointer',
    defaultValue: undefined,
    options: undefined,
    range: undefined,
    pos: field.pos,
  };
  for (const opt of opts.map((o) => o.trim())) {
    if (opt === 'optional' || opt === 'omitempty') f.optional = true;
    else if (opt.startsWith('default=')) f.defaultValue = opt.slice(8);
    else if (opt.startsWith('options=')) {
      const list = opt.slice(8).replace(/^\[|\]$/g, '');
      f.options = list.split(/[|,]/).map((o) => o.trim()).filter((o) => o !== '');
    } else if (opt.startsWith('range=')) f.range = readRange(opt.slice(6), field.pos);
    else if (opt !== '' && opt !== 'string') throw new ApiSyntaxError(field.pos, `unknown tag option ${opt} on ${name}`);
  }
  return f;
}

function readRange(text: string, pos: Pos): NonNullable<ModelField['range']> {
  const m = /^([[(])\s*(-?[\d.]*)\s*:\s*(-?[\d.]*)\s*([\])])$/.exec(text);
  if (!m) throw new ApiSyntaxError(pos, `bad range ${text} (e.g. [0:100] or (0:10])`);
  return {
    min: m[2] === '' ? undefined : Number(m[2]),
    max: m[3] === '' ? undefined : Number(m[3]),
    minExclusive: m[1] === '(',
    maxExclusive: m[4] === ')',
  };
}

/** Splits a tag value at commas outside brackets: `status,options=[a,b],optional`. */
function splitOptions(text: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '[' || c === '(') depth++;
    else if (c === ']' || c === ')') depth--;
    else if (c === ',' && depth === 0) {
      out.push(text.slice(start, i));
      start = i + 1;
    }
  }
  out.push(text.slice(start));
  return out;
}

function lowerFirst(s: string): string {
  return s.charAt(0).toLowerCase() + s.slice(1);
}
