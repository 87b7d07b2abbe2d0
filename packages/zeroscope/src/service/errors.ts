/** Errors of the service lifecycle, each with a stable `code` (never reused once retired). */
import { codedError } from '../internal/coded-error.ts';

/** Stable codes of {@link ServiceError}, with what each means. */
export const SERVICE_ERROR_CODES = {
  SERVICE_ERR_START: 'a server of the group failed to start (the ones already started were stopped)',
  SERVICE_ERR_LISTEN: 'a server could not bind its address (in use, not permitted, not on this machine); the message names the setting',
  SERVICE_ERR_STOP: 'one or more servers failed to stop (every server was still asked to stop)',
} as const;

export type ServiceErrorCode = keyof typeof SERVICE_ERROR_CODES;

/** A lifecycle failure; `cause` is the server's own error (an AggregateError when several failed). */
export class ServiceError extends codedError('ServiceError', SERVICE_ERROR_CODES) {}
