// The log package: the process logger (pino) whose every line carries the active trace, the
// access-log helper the rest and rpc middleware share, and OTLP log export. See README.md.
export { AccessLevelsSchema, ACCESS_LEVELS, LogSchema, LOG_MODES, LOG_ENCODINGS, LOG_LEVELS } from './config.ts';
export type { AccessLevels, LogConf, LogConfInput } from './config.ts';
export { LogError, LOG_ERROR_CODES } from './errors.ts';
export type { LogErrorCode } from './errors.ts';
export { logger, createLogger, setUpLogging, shutdownLogging, accessLogSettings } from './logger.ts';
export type { AccessLogSettings, CreateLoggerOptions, SetUpLoggingOptions } from './logger.ts';
export { httpOutcome, isSlow, logAccess } from './access-log.ts';
export type { AccessEntry, AccessOutcome } from './access-log.ts';
export { traceMixin, mergeTraceFields } from './trace-mixin.ts';
export type { TraceFields } from './trace-mixin.ts';
export { createOtlpLogExport, otlpLogsUrl } from './otlp-export.ts';
export type { OtlpLogExport, OtlpLogExportConf } from './otlp-export.ts';
export { formatPlain } from './plain-stream.ts';
export type { Logger } from 'pino';
