import { extname } from 'node:path';
import { parseDocument, type YAMLError } from 'yaml';
import { ConfigError } from './errors.ts';

/** The formats a config file may use, chosen by extension (go-zero's conf.Load does the same). */
const PARSERS: Record<string, (text: string, file: string) => unknown> = {
  '.yaml': parseYaml,
  '.yml': parseYaml,
  '.json': parseJson,
};

/** Parses config text by the file's extension; an empty document is an empty object. */
export function parseConfigText(text: string, file: string): unknown {
  const parse = PARSERS[extname(file).toLowerCase()];
  if (!parse) {
    throw new ConfigError(
      'CONF_ERR_UNSUPPORTED_FORMAT',
      file,
      `${file}: unsupported config format "${extname(file)}" (use .yaml, .yml or .json)`,
    );
  }
  return parse(text, file) ?? {};
}

function parseYaml(text: string, file: string): unknown {
  // prettyErrors fills linePos. uniqueKeys: a key given twice is almost always a merge mistake.
  const doc = parseDocument(text, { prettyErrors: true, uniqueKeys: true });
  const first = doc.errors[0];
  if (first) {
    const misplaced = overIndentedKey(text, doc.errors) ?? unclosedFlow(text, first);
    if (misplaced) throw new ConfigError('CONF_ERR_PARSE', file, `${file}:${misplaced.line}:${misplaced.col}: invalid YAML: ${misplaced.reason}`, { cause: first });
    const pos = first.linePos?.[0];
    const where = pos ? `:${pos.line}:${pos.col}` : '';
    const reason = first.message.split('\n')[0]?.replace(/ at line \d+, column \d+:?$/, '');
    throw new ConfigError('CONF_ERR_PARSE', file, `${file}${where}: invalid YAML: ${reason}`, { cause: first });
  }
  return doc.toJS();
}

/** The parser's errors that an over-indented `key:` line causes on the line above it. */
const IMPLICIT_KEY_ERRORS = new Set(['BLOCK_AS_IMPLICIT_KEY', 'MULTILINE_IMPLICIT_KEY']);

/**
 * A `key: value` line indented deeper than the key above it (`Name: order` then `   Endpoint: x`)
 * makes the parser read the two lines as one multi-line key and report the line *above*, at the
 * value. The line to fix is the deeper one: find it and say how far it should be indented.
 */
function overIndentedKey(text: string, errors: readonly YAMLError[]): { line: number; col: number; reason: string } | undefined {
  const error = errors.find((e) => IMPLICIT_KEY_ERRORS.has(e.code));
  const start = error?.linePos?.[0];
  if (!start) return undefined;
  const lines = text.split(/\r?\n/);
  const above = lines[start.line - 1];
  if (above === undefined) return undefined;
  const aboveIndent = indentOf(above);
  for (let n = start.line; n < lines.length; n++) {
    const line = lines[n]!;
    if (line.trim() === '' || line.trimStart().startsWith('#')) continue;
    const indent = indentOf(line);
    if (indent <= aboveIndent || !/^\s*[^\s#][^:]*:(\s|$)/.test(line)) return undefined;
    const key = line.trim().split(':')[0];
    return {
      line: n + 1,
      col: indent + 1,
      reason: `"${key}" is indented ${indent} spaces, deeper than the key on line ${start.line} (${aboveIndent}): indent it ${aboveIndent} spaces to make it a sibling`,
    };
  }
  return undefined;
}

/**
 * An unclosed `[` or `{` is reported where the parser gave up (the start of the next key); the fix
 * belongs where the bracket was opened, so point there.
 */
function unclosedFlow(text: string, error: YAMLError): { line: number; col: number; reason: string } | undefined {
  if (!/^Flow (sequence|mapping) in block collection/.test(error.message)) return undefined;
  const stack: number[] = [];
  let quote: string | undefined;
  for (let i = 0; i < error.pos[0]; i++) {
    const ch = text[i]!;
    if (quote) {
      if (ch === quote) quote = undefined;
    } else if (ch === '"' || ch === "'") quote = ch;
    else if (ch === '#' && (i === 0 || /\s/.test(text[i - 1]!))) i = text.indexOf('\n', i) < 0 ? text.length : text.indexOf('\n', i) - 1;
    else if (ch === '[' || ch === '{') stack.push(i);
    else if ((ch === ']' || ch === '}') && stack.length > 0) stack.pop();
  }
  const open = stack.at(-1);
  if (open === undefined) return undefined;
  const before = text.slice(0, open).split('\n');
  const close = text[open] === '[' ? ']' : '}';
  return { line: before.length, col: before.at(-1)!.length + 1, reason: `"${text[open]}" is never closed: end it with "${close}" on this line` };
}

function indentOf(line: string): number {
  return line.length - line.trimStart().length;
}

function parseJson(text: string, file: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch (err) {
    const message = (err as Error).message;
    const at = /position (\d+)/.exec(message);
    const where = at ? `:${lineCol(text, Number(at[1]))}` : '';
    throw new ConfigError('CONF_ERR_PARSE', file, `${file}${where}: invalid JSON: ${message}`, { cause: err });
  }
}

function lineCol(text: string, offset: number): string {
  const before = text.slice(0, offset).split('\n');
  return `${before.length}:${(before.at(-1)?.length ?? 0) + 1}`;
}
