import { extname } from 'node:path';
import { parseDocument } from 'yaml';
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
    const pos = first.linePos?.[0];
    const where = pos ? `:${pos.line}:${pos.col}` : '';
    const reason = first.message.split('\n')[0]?.replace(/ at line \d+, column \d+:?$/, '');
    throw new ConfigError('CONF_ERR_PARSE', file, `${file}${where}: invalid YAML: ${reason}`, { cause: first });
  }
  return doc.toJS();
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
