import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { ConfigError, type ConfigIssue } from './errors.ts';
import { expandEnv, isPlainObject } from './expand-env.ts';
import { formatIssues } from './format-issues.ts';
import { valueAt } from './key-path.ts';
import { applyOtelEnv } from './otel-env.ts';
import { parseConfigText } from './parse-file.ts';

/** Options of {@link loadConfig} and {@link parseConfig}. */
export interface LoadConfigOptions {
  /** Where `${VAR}` and `OTEL_*` are read from; defaults to `process.env`. */
  env?: NodeJS.ProcessEnv;
  /** Expand `${VAR}` references in string values (default true). */
  expandEnv?: boolean;
}

/**
 * Reads a YAML/JSON config file, expands `${VAR}`, fills `Telemetry` from `OTEL_*` variables where
 * the file is silent, and validates it against `schema` (go-zero's conf.MustLoad, minus the panic).
 * Throws {@link ConfigError} naming the file, each bad key path and what was expected.
 *
 * @example
 *   const conf = loadConfig(configFileFromArgs(process.argv, 'etc/order.yaml'), RestConfSchema);
 */
export function loadConfig<S extends z.ZodType>(file: string, schema: S, options: LoadConfigOptions = {}): z.infer<S> {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    const reason = (err as NodeJS.ErrnoException).code === 'ENOENT' ? 'config file not found' : `cannot read config file (${(err as Error).message})`;
    throw new ConfigError('CONF_ERR_NOT_FOUND', file, `${file}: ${reason}`, { cause: err });
  }
  return parseConfig(text, file, schema, options);
}

/**
 * {@link loadConfig} for text already in memory; `file` names it in errors and picks the format by
 * its extension.
 */
export function parseConfig<S extends z.ZodType>(text: string, file: string, schema: S, options: LoadConfigOptions = {}): z.infer<S> {
  const env = options.env ?? process.env;
  let doc = parseConfigText(text, file);
  let wholeReferences: (string | number)[][] = [];
  if (options.expandEnv !== false) ({ value: doc, wholeReferences } = expandEnv(doc, env, file));

  let sources = new Map<string, string>();
  let envProblems: ConfigIssue[] = [];
  if (isPlainObject(doc)) {
    ({ doc, sources, problems: envProblems } = applyOtelEnv(doc, env, { createBlock: hasTelemetryKey(schema) }));
    doc = defaultTelemetryName(doc as Record<string, unknown>);
  }

  let result = schema.safeParse(doc);
  if (!result.success) {
    // `Port: ${PORT}` expands to a string; retype it only where the schema asked for a number/boolean.
    const coerced = coerceReferences(doc, result.error.issues, wholeReferences);
    if (coerced !== doc) {
      doc = coerced;
      result = schema.safeParse(doc);
    }
  }
  if (!result.success || envProblems.length > 0) {
    const issues = [...envProblems, ...(result.success ? [] : formatIssues(result.error.issues, doc, sources))];
    const lines = issues.map((i) => `${file}: ${i.path || '(root)'}: ${i.problem}`);
    throw new ConfigError('CONF_ERR_INVALID', file, lines.join('\n'), { issues, cause: result.success ? undefined : result.error });
  }
  return result.data as z.infer<S>;
}

/** Telemetry.Name defaults to the service Name (go-zero's ServiceConf.SetUp does the same). */
function defaultTelemetryName(doc: Record<string, unknown>): Record<string, unknown> {
  const tel = doc.Telemetry;
  if (!isPlainObject(tel) || tel.Name !== undefined || typeof doc.Name !== 'string') return doc;
  return { ...doc, Telemetry: { ...tel, Name: doc.Name } };
}

function hasTelemetryKey(schema: z.ZodType): boolean {
  return schema instanceof z.ZodObject && 'Telemetry' in schema.shape;
}

function coerceReferences(doc: unknown, issues: readonly z.core.$ZodIssue[], refs: (string | number)[][]): unknown {
  if (refs.length === 0) return doc;
  const refKeys = new Set(refs.map((p) => JSON.stringify(p)));
  let out = doc;
  for (const issue of issues) {
    if (issue.code !== 'invalid_type' || !refKeys.has(JSON.stringify(issue.path))) continue;
    const value = valueAt(out, issue.path);
    if (typeof value !== 'string') continue;
    let typed: unknown;
    if ((issue.expected === 'number' || issue.expected === 'int') && value.trim() !== '' && Number.isFinite(Number(value))) typed = Number(value);
    else if (issue.expected === 'boolean' && /^(true|false)$/i.test(value)) typed = value.toLowerCase() === 'true';
    if (typed !== undefined) out = setAt(out, issue.path as (string | number)[], typed);
  }
  return out;
}

function setAt(doc: unknown, path: (string | number)[], value: unknown): unknown {
  if (path.length === 0) return value;
  const [head, ...rest] = path as [string | number, ...(string | number)[]];
  if (Array.isArray(doc)) {
    const copy = [...doc];
    copy[head as number] = setAt(copy[head as number], rest, value);
    return copy;
  }
  const obj = doc as Record<string, unknown>;
  return { ...obj, [head]: setAt(obj[head], rest, value) };
}
