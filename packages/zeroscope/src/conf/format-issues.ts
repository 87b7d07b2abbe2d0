import type { z } from 'zod';
import type { ConfigIssue } from './errors.ts';
import { formatPath, valueAt } from './key-path.ts';

type Issue = z.core.$ZodIssue;

const TYPE_NAMES: Record<string, string> = {
  number: 'a number',
  int: 'an integer',
  string: 'a string',
  boolean: 'a boolean (true or false)',
  object: 'a mapping',
  record: 'a mapping',
  map: 'a mapping',
  array: 'a list',
  tuple: 'a list',
  null: 'null',
};

/**
 * Turns zod issues into go-zero-spelled lines: every unknown key separately, a missing key as
 * `required (expected …)`, otherwise `expected …, got …` with the value read from the document.
 */
export function formatIssues(issues: readonly Issue[], doc: unknown, sources: Map<string, string>): ConfigIssue[] {
  const out: ConfigIssue[] = [];
  for (const issue of issues) {
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) out.push({ path: formatPath([...issue.path, key]), problem: 'unknown key' });
      continue;
    }
    const path = formatPath(issue.path);
    const from = sourceOf(issue.path, sources);
    const problem = describeProblem(issue, valueAt(doc, issue.path));
    out.push({ path, problem: from ? `${problem} (from ${from})` : problem });
  }
  return out;
}

/** The variable that filled the key at `path` or the nearest map/list holding it (`Telemetry.Propagators[1]`). */
function sourceOf(path: readonly PropertyKey[], sources: Map<string, string>): string | undefined {
  for (let n = path.length; n > 0; n--) {
    const from = sources.get(formatPath(path.slice(0, n)));
    if (from) return from;
  }
  return undefined;
}

function describeProblem(issue: Issue, value: unknown): string {
  switch (issue.code) {
    case 'invalid_type': {
      const expected = TYPE_NAMES[issue.expected] ?? issue.expected;
      return value === undefined ? `required (expected ${expected})` : `expected ${expected}, got ${describeValue(value)}`;
    }
    case 'invalid_value':
      return `expected ${issue.values.length === 1 ? JSON.stringify(issue.values[0]) : `one of ${issue.values.join('|')}`}, got ${describeValue(value)}`;
    case 'too_small':
    case 'too_big': {
      const bound = issue.code === 'too_small' ? issue.minimum : issue.maximum;
      const op = issue.code === 'too_small' ? (issue.inclusive ? '>=' : '>') : issue.inclusive ? '<=' : '<';
      if (issue.origin === 'string' && issue.code === 'too_small' && Number(bound) === 1) {
        return `expected a non-empty string, got ${describeValue(value)}`;
      }
      if (issue.origin === 'string') return `expected a string of length ${op} ${bound}, got ${describeValue(value)}`;
      if (issue.origin === 'array' || issue.origin === 'set') return `expected a list of ${op} ${bound} items, got ${describeValue(value)}`;
      return `expected a number ${op} ${bound}, got ${describeValue(value)}`;
    }
    case 'invalid_format': {
      const f = issue as z.core.$ZodIssueInvalidStringFormat & { prefix?: string; suffix?: string; includes?: string };
      if (f.format === 'starts_with') return `expected a string starting with ${JSON.stringify(f.prefix)}, got ${describeValue(value)}`;
      if (f.format === 'ends_with') return `expected a string ending with ${JSON.stringify(f.suffix)}, got ${describeValue(value)}`;
      if (f.format === 'regex') return `expected a string matching ${f.pattern}, got ${describeValue(value)}`;
      return `expected a valid ${f.format}, got ${describeValue(value)}`;
    }
    case 'custom':
      // A refinement whose message already quotes the value (params.complete) is shown as is.
      if ((issue.params as { complete?: boolean } | undefined)?.complete) return issue.message;
      return value === undefined ? issue.message : `${issue.message}, got ${describeValue(value)}`;
    default:
      return value === undefined ? issue.message : `${issue.message}, got ${describeValue(value)}`;
  }
}

/** A short, quoted rendering of a config value for error messages. */
export function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  if (typeof value === 'string') return JSON.stringify(value.length > 60 ? `${value.slice(0, 57)}...` : value);
  return String(value);
}
