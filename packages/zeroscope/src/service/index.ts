// The service lifecycle shared by rest and rpc servers: set-up (starts tracing), the server group,
// graceful stop on signals.
export { setUp, tearDown } from './setup.ts';
export type { Server } from './server.ts';
export { ServiceGroup } from './service-group.ts';
export { onShutdownSignals, runGroup } from './signals.ts';
export type { ShutdownOptions } from './signals.ts';
export { ServiceError, SERVICE_ERROR_CODES } from './errors.ts';
export type { ServiceErrorCode } from './errors.ts';
export { describeListenFailure, listenErrno, listenError } from './listen-error.ts';
export type { ListenSetting } from './listen-error.ts';
