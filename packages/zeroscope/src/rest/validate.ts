import type { z } from 'zod';
import { HttpError, REST_ERROR_CODES } from './errors.ts';

/** Which part of the request a schema checks; it prefixes the field path in messages. */
export type RequestPart = 'params' | 'query' | 'body' | 'headers';

/**
 * Parses `value` with `schema`, or throws a 400 naming each bad field and what was expected,
 * e.g. `query.limit: Invalid input: expected number, received NaN`.
 */
export function validate<T extends z.ZodType>(schema: T, value: unknown, part: RequestPart): z.output<T> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  throw new HttpError(400, formatIssues(part, result.error.issues), { code: REST_ERROR_CODES.VALIDATION });
}

function formatIssues(part: RequestPart, issues: readonly z.core.$ZodIssue[]): string {
  return issues.map((issue) => `${fieldPath(part, issue.path)}: ${issue.message}`).join('; ');
}

function fieldPath(part: RequestPart, path: readonly PropertyKey[]): string {
  let out: string = part;
  for (const key of path) out += typeof key === 'number' ? `[${key}]` : `.${String(key)}`;
  return out;
}
