import { ConfigError } from './errors.ts';
import { formatPath } from './key-path.ts';

/** `${NAME}` or `${NAME:-default}`; `$${` is a literal `${`. */
const REFERENCE = /\$\$\{|\$\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}/g;
const WHOLE_REFERENCE = /^\$\{[A-Za-z_][A-Za-z0-9_]*(?::-[^}]*)?\}$/;

/** The result of {@link expandEnv}: the new document and where a whole value was one reference. */
export interface Expanded {
  value: unknown;
  /**
   * Paths whose whole string was a single `${...}`. Only these may later be coerced to a number or
   * boolean when the schema asks for one (`Port: ${PORT}`), so `Name: "123"` stays a string.
   */
  wholeReferences: (string | number)[][];
}

/**
 * Replaces `${VAR}` / `${VAR:-default}` in every string value (keys are left alone). As in a shell,
 * `:-` uses the default when the variable is unset or empty. An unset variable without a default is a
 * `CONF_ERR_ENV` naming the file and key, because silently starting with an empty endpoint hides typos.
 */
export function expandEnv(doc: unknown, env: NodeJS.ProcessEnv, file: string): Expanded {
  const wholeReferences: (string | number)[][] = [];
  const walk = (value: unknown, path: (string | number)[]): unknown => {
    if (typeof value === 'string') {
      if (!value.includes('${')) return value;
      if (WHOLE_REFERENCE.test(value)) wholeReferences.push(path);
      return value.replace(REFERENCE, (match, name: string | undefined, fallback: string | undefined) => {
        if (name === undefined) return '${'; // the $${ escape
        const set = env[name];
        if (fallback !== undefined) return set === undefined || set === '' ? fallback : set;
        if (set === undefined) {
          throw new ConfigError(
            'CONF_ERR_ENV',
            file,
            `${file}: ${formatPath(path) || '(root)'}: environment variable ${name} is not set (write ${match.slice(0, -1)}:-default} to give a default)`,
          );
        }
        return set;
      });
    }
    if (Array.isArray(value)) return value.map((item, i) => walk(item, [...path, i]));
    if (isPlainObject(value)) {
      const out: Record<string, unknown> = {};
      for (const [key, item] of Object.entries(value)) out[key] = walk(item, [...path, key]);
      return out;
    }
    return value;
  };
  return { value: walk(doc, []), wholeReferences };
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Date);
}
