/** Errors of the metrics-generator, each with a stable code (never reused once retired). */

/** Stable codes of the generator's errors, with what each means. */
export const GENERATOR_ERROR_CODES = {
  GENERATOR_ERR_CONFIG: 'the generator config file cannot be read, is not YAML, or has an unknown key or a wrong type',
} as const;

/** A generator config file that cannot be used; the message names the file and key. */
export class GeneratorConfigError extends Error {
  override readonly name = 'GeneratorConfigError';
  readonly code = 'GENERATOR_ERR_CONFIG';
}
