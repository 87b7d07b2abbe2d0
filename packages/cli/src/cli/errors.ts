/** Errors of the `zeroscope` command, each with a stable code and the exit status it ends with. */
import { codedError } from '../shared/coded-error.ts';

/** Stable codes of the CLI's errors, with the process exit status each ends with. */
export const CLI_ERROR_CODES = {
  CLI_ERR_USAGE: 2,
  CLI_ERR_RUN: 1,
} as const;

export type CliErrorCode = keyof typeof CLI_ERROR_CODES;

/** Base of the CLI's errors; `exitCode` is the process exit status. */
export class CliError extends codedError({ answer: (code: CliErrorCode) => ({ exitCode: CLI_ERROR_CODES[code] as number }) }) {}

/** The command line is wrong (unknown command or flag, missing or bad value): exit 2. */
export class CliUsageError extends CliError {
  /** The command whose `--help` explains the fix ('' for the top level). */
  readonly command: string;

  constructor(command: string, message: string, options?: { cause?: unknown }) {
    super('CLI_ERR_USAGE', message, options);
    this.command = command;
  }
}

/** A command ran but failed (port in use, unreadable file, import with bad lines): exit 1. */
export class CliRunError extends CliError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('CLI_ERR_RUN', message, options);
  }
}

/** Every error class above, for the registry test. */
export const CLI_ERRORS = [CliUsageError, CliRunError] as const;
