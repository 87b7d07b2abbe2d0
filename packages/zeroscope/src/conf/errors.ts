/**
 * Errors of the config loader. Every error has a stable `code` (never reused once retired) and a
 * message that starts with the config file, so a failing start-up points straight at the line to fix.
 */
import { codedError } from '../internal/coded-error.ts';

/** Stable codes of {@link ConfigError}, with what each means (documented in README.md too). */
export const CONF_ERROR_CODES = {
  CONF_ERR_NOT_FOUND: 'the config file does not exist or cannot be read',
  CONF_ERR_UNSUPPORTED_FORMAT: 'the file extension is not .yaml, .yml or .json',
  CONF_ERR_PARSE: 'the file is not valid YAML/JSON (message carries line:col)',
  CONF_ERR_ENV: 'a ${VAR} reference names an unset variable and has no :-default',
  CONF_ERR_INVALID: 'the parsed config does not match the schema (message lists every bad key)',
  CONF_ERR_ARGS: 'the -f flag is given without a file',
} as const;

export type ConfigErrorCode = keyof typeof CONF_ERROR_CODES;

/** One problem found while validating a config: the key path in go-zero spelling and what is wrong. */
export interface ConfigIssue {
  /** `Telemetry.Sampler`, `Endpoints[1]`; empty for the document root. */
  path: string;
  /** `expected a number, got "x"`, `unknown key`, `required (expected a string)`. */
  problem: string;
}

/** Any failure to load a config file. `issues` is filled for `CONF_ERR_INVALID`. */
export class ConfigError extends codedError('ConfigError', CONF_ERROR_CODES) {
  readonly file: string;
  readonly issues: readonly ConfigIssue[];

  constructor(
    code: ConfigErrorCode,
    file: string,
    message: string,
    options: { issues?: ConfigIssue[]; cause?: unknown } = {},
  ) {
    super(code, message, options);
    this.file = file;
    this.issues = options.issues ?? [];
  }
}
