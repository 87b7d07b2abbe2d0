/**
 * The zeroscope backend: receivers → store → Tempo-compatible query API, in one process.
 * `startBackend(resolveBackendConfig())` is all a caller needs.
 */
export { startBackend, logStorePusher, storePusher, traceqlEngine, MODULE_DEPENDENCIES, START_ORDER } from './app.ts';
export type { BackendAddresses, ModuleName, RunningBackend, StartOptions } from './app.ts';
export {
  BACKEND_ENV,
  BackendConfigError,
  DEFAULT_DATA_DIR_NAME,
  DEFAULT_HOST,
  DEFAULT_PORTS,
  DEFAULT_RETENTION,
  formatRetention,
  parsePort,
  parseRetention,
  resolveBackendConfig,
  settingsFromEnv,
} from './config.ts';
export type { BackendConfig, BackendPorts, BackendSettings } from './config.ts';
