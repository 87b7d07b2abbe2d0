/** Errors of the metrics-generator, each with a stable code (never reused once retired). */
import { codedError } from '../../shared/coded-error.ts';

/** Stable codes of the generator's errors, with what each means. */
export const GENERATOR_ERROR_CODES = {
  GENERATOR_ERR_CONFIG: 'the generator config file cannot be read, is not YAML, or has an unknown key or a wrong type',
} as const;

export type GeneratorErrorCode = keyof typeof GENERATOR_ERROR_CODES;

/** A generator config file that cannot be used; the message names the file and key. */
export class GeneratorConfigError extends codedError<GeneratorErrorCode>() {
  constructor(message: string, options?: { cause?: unknown }) {
    super('GENERATOR_ERR_CONFIG', message, options);
  }
}
