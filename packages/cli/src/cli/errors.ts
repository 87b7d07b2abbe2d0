/** Errors of the `zeroscope` command, each with a stable code and the exit status it ends with. */

/** Base of the CLI's errors. */
export class CliError extends Error {
  readonly code: string;
  /** Process exit status. */
  readonly exitCode: number;

  constructor(code: string, exitCode: number, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
    this.code = code;
    this.exitCode = exitCode;
  }
}

/** The command line is wrong (unknown command or flag, missing or bad value): exit 2. */
export class CliUsageError extends CliError {
  /** The command whose `--help` explains the fix ('' for the top level). */
  readonly command: string;

  constructor(command: string, message: string, options?: { cause?: unknown }) {
    super('CLI_ERR_USAGE', 2, message, options);
    this.command = command;
  }
}

/** A command ran but failed (port in use, unreadable file, import with bad lines): exit 1. */
export class CliRunError extends CliError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('CLI_ERR_RUN', 1, message, options);
  }
}

/** Every error class above, for the registry test. */
export const CLI_ERRORS = [CliUsageError, CliRunError] as const;
