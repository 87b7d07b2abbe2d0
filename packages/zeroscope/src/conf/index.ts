// The config package: load a service's YAML/JSON config, validate it, explain what is wrong.
export { loadConfig, parseConfig } from './load-config.ts';
export type { LoadConfigOptions } from './load-config.ts';
export { configFileFromArgs } from './args.ts';
export { parseKeyValueList } from './otel-env.ts';
export { ConfigError, CONF_ERROR_CODES } from './errors.ts';
export type { ConfigErrorCode, ConfigIssue } from './errors.ts';
export { ServiceConfSchema, MODES } from './service-conf.ts';
export type { ServiceConf } from './service-conf.ts';
export { mustLoadConfig } from './must-load-config.ts';
