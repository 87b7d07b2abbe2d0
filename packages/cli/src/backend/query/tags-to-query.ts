/**
 * The legacy `tags=` search (logfmt, e.g. `service.name="order" http.status_code=500`) as a
 * TraceQL query: one span must carry every tag. A tag matches a span or resource attribute of
 * that name (`.key`); `name`, `status.code` and `error` are the span's intrinsics, and
 * `service.name` is the resource attribute. A value that reads as a number or boolean also
 * matches an attribute stored with that type, since logfmt carries no types.
 */
import {
  attribute,
  binary,
  filterQuery,
  intrinsic,
  staticBool,
  staticFloat,
  staticInt,
  staticString,
  type FieldExpression,
  type RootExpr,
  type StatusValue,
} from './ast.ts';
import { TagsParseError } from './errors.ts';

/** Converts `tags=` logfmt into a query. Throws TagsParseError on malformed logfmt. */
export function tagsToQuery(tags: string): RootExpr {
  const conditions = parseLogfmt(tags).map(([key, value]) => tagCondition(key, value));
  if (conditions.length === 0) return filterQuery(staticBool(true));
  return filterQuery(conditions.reduce((all, c) => binary('&&', all, c)));
}

function tagCondition(key: string, value: string): FieldExpression {
  switch (key) {
    case 'name':
      return binary('=', intrinsic('name'), staticString(value));
    case 'status':
    case 'status.code': {
      const status = value.toLowerCase().replace(/^status_code_/, '');
      if (status !== 'ok' && status !== 'error' && status !== 'unset') {
        throw new TagsParseError(`${key} must be ok, error or unset, got "${value}"`);
      }
      return binary('=', intrinsic('status'), { type: 'static', valueType: 'status', value: status as StatusValue });
    }
    case 'error':
      if (value !== 'true' && value !== 'false') throw new TagsParseError(`error must be true or false, got "${value}"`);
      return binary(value === 'true' ? '=' : '!=', intrinsic('status'), { type: 'static', valueType: 'status', value: 'error' });
    case 'service.name':
      return binary('=', attribute('resource', 'service.name'), staticString(value));
  }
  const attr = attribute('none', key);
  const asString = binary('=', attr, staticString(value));
  const typed = typedLiteral(value);
  return typed ? binary('||', binary('=', attr, typed), asString) : asString;
}

function typedLiteral(value: string): FieldExpression | undefined {
  if (value === 'true' || value === 'false') return staticBool(value === 'true');
  const negative = value.startsWith('-');
  const digits = negative ? value.slice(1) : value;
  let lit: FieldExpression | undefined;
  if (/^\d{1,15}$/.test(digits)) lit = staticInt(Number(digits));
  else if (/^\d+\.\d+$/.test(digits)) lit = staticFloat(Number(digits));
  if (!lit) return undefined;
  // TraceQL has no negative literals inside braces: `-5` is unary minus on 5.
  return negative ? { type: 'unary', op: '-', expr: lit } : lit;
}

/** Splits logfmt into key/value pairs. */
export function parseLogfmt(text: string): Array<[string, string]> {
  const pairs: Array<[string, string]> = [];
  let i = 0;
  const n = text.length;
  const isSpace = (c: string) => c === ' ' || c === '\t' || c === '\n' || c === '\r';
  while (i < n) {
    while (i < n && isSpace(text[i])) i++;
    if (i >= n) break;
    const keyStart = i;
    while (i < n && !isSpace(text[i]) && text[i] !== '=' && text[i] !== '"') i++;
    const key = text.slice(keyStart, i);
    if (key === '') throw new TagsParseError(`unexpected '${text[i]}' at position ${i + 1}`);
    if (text[i] !== '=') throw new TagsParseError(`missing value for key "${key}" at position ${i + 1}`);
    i++;
    let value = '';
    if (text[i] === '"') {
      const quoteAt = i;
      i++;
      for (;;) {
        if (i >= n) throw new TagsParseError(`unterminated quoted value at position ${quoteAt + 1}`);
        const c = text[i++];
        if (c === '"') break;
        if (c !== '\\') {
          value += c;
          continue;
        }
        const e = text[i++];
        const escapes: Record<string, string> = { '"': '"', '\\': '\\', n: '\n', t: '\t', r: '\r', '/': '/' };
        if (e === 'u' && /^[0-9a-fA-F]{4}$/.test(text.slice(i, i + 4))) {
          value += String.fromCharCode(parseInt(text.slice(i, i + 4), 16));
          i += 4;
        } else if (e !== undefined && e in escapes) value += escapes[e];
        else throw new TagsParseError(`invalid escape in quoted value at position ${i}`);
      }
      if (i < n && !isSpace(text[i])) throw new TagsParseError(`unexpected '${text[i]}' after quoted value at position ${i + 1}`);
    } else {
      const valueStart = i;
      while (i < n && !isSpace(text[i])) {
        if (text[i] === '"' || text[i] === '=') throw new TagsParseError(`unexpected '${text[i]}' in value at position ${i + 1}`);
        i++;
      }
      value = text.slice(valueStart, i);
    }
    pairs.push([key, value]);
  }
  return pairs;
}
