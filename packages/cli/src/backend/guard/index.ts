/**
 * The backend's guards: back-pressure in front of the store (push limiter, disk-space floor),
 * the shared-token check for exposed listeners, and the rule that a non-loopback bind needs one.
 */
export { GuardError, OverloadedError, LowDiskError, ExposureError, GUARD_ERRORS } from './errors.ts';
export { pushLimiter, countSpans, DEFAULT_MAX_IN_FLIGHT_PUSHES, DEFAULT_MAX_IN_FLIGHT_SPANS } from './push-limiter.ts';
export type { LimitedPusher, Pusher, PushLimits, PushLimiterStats } from './push-limiter.ts';
export { diskSpaceGuard, defaultMinFreeBytes, statfsFreeBytes, statfsTotalBytes, DEFAULT_MIN_FREE_BYTES } from './disk-space.ts';
export type { DiskGuardedPusher, DiskSpaceOptions, FreeBytesProbe } from './disk-space.ts';
export {
  TOKEN_COOKIE,
  TOKEN_HEADER,
  TOKEN_QUERY_PARAM,
  bearerToken,
  checkHttpToken,
  cookieValue,
  tokenCookie,
  tokenMatcher,
} from './auth.ts';
export type { TokenSource } from './auth.ts';
export { PUBLIC_PATHS, queryAuth, sameOriginPath } from './query-auth.ts';
export { hostChecker, hostRefusal } from './host-check.ts';
export type { HostCheckOptions } from './host-check.ts';
export type { QueryAuthDecision } from './query-auth.ts';
export { MIN_TOKEN_LENGTH, assertExposureAllowed, isLoopbackHost } from './exposure.ts';
