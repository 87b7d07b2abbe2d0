/** OTLP severity numbers and texts to one of seven levels. */
import type { LogLevel } from './types.ts';

/** Every level, lowest first; the index is the level's byte in the level index. */
export const LOG_LEVELS: readonly LogLevel[] = ['unspecified', 'trace', 'debug', 'info', 'warn', 'error', 'fatal'];

// Words loggers put in severity_text when they leave the number unset.
const TEXT_LEVELS: Record<string, LogLevel> = {
  trace: 'trace',
  debug: 'debug',
  info: 'info',
  information: 'info',
  notice: 'info',
  warn: 'warn',
  warning: 'warn',
  error: 'error',
  err: 'error',
  fatal: 'fatal',
  critical: 'fatal',
  crit: 'fatal',
  panic: 'fatal',
};

/**
 * The level of a record: from the severity number's range (1-4 trace … 21-24 fatal), else from
 * the severity text, else `unspecified`.
 */
export function levelOf(severityNumber: number, severityText: string): LogLevel {
  if (severityNumber >= 1 && severityNumber <= 24) return LOG_LEVELS[Math.ceil(severityNumber / 4)];
  return TEXT_LEVELS[severityText.trim().toLowerCase()] ?? 'unspecified';
}

/** True for a known level name. */
export function isLogLevel(text: string): text is LogLevel {
  return (LOG_LEVELS as readonly string[]).includes(text);
}
