import { status } from '@grpc/grpc-js';

/**
 * Codes that say the server is unhealthy, so they count against the breaker (go-zero's
 * `codes.Acceptable`, plus UNKNOWN: an unexpected crash). Anything else — NOT_FOUND,
 * INVALID_ARGUMENT, PERMISSION_DENIED… — is the service answering normally.
 */
const FAILURE_CODES: ReadonlySet<status> = new Set([
  status.UNAVAILABLE,
  status.DEADLINE_EXCEEDED,
  status.INTERNAL,
  status.UNKNOWN,
  status.RESOURCE_EXHAUSTED,
  status.DATA_LOSS,
  status.UNIMPLEMENTED,
]);

/** True when a call that ended with `code` counts as a success for the breaker. */
export function isAcceptable(code: status): boolean {
  return !FAILURE_CODES.has(code);
}
