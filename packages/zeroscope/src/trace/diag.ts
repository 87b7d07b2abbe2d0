import { diag, DiagConsoleLogger, DiagLogLevel } from '@opentelemetry/api';

const LEVELS: Record<string, DiagLogLevel> = {
  none: DiagLogLevel.NONE,
  error: DiagLogLevel.ERROR,
  warn: DiagLogLevel.WARN,
  info: DiagLogLevel.INFO,
  debug: DiagLogLevel.DEBUG,
  verbose: DiagLogLevel.VERBOSE,
  all: DiagLogLevel.ALL,
};

/**
 * `OTEL_LOG_LEVEL`: routes the OpenTelemetry SDK's own diagnostics (exporters, instrumentations,
 * propagators) to the console at that level. Unset or unknown: nothing is installed, and the SDK
 * stays silent except through the agent's one-warning-per-outage log.
 */
export function diagFromEnv(env: NodeJS.ProcessEnv = process.env): void {
  const level = LEVELS[env.OTEL_LOG_LEVEL?.trim().toLowerCase() ?? ''];
  if (level !== undefined) diag.setLogger(new DiagConsoleLogger(), { logLevel: level, suppressOverrideMessage: true });
}
