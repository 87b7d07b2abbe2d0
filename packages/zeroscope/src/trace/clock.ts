import type { HrTime } from '@opentelemetry/api';

// The wall-clock time this process started (fractional milliseconds), read once. Every span time
// is that anchor plus the monotonic performance.now(): sub-millisecond, never running backwards,
// and comparable across processes to the anchor's microseconds (Date.now() has only milliseconds,
// which put a CLIENT span's start "+0ns" after its parent's).
const ORIGIN_MS = performance.timeOrigin;
const ORIGIN_SECONDS = Math.floor(ORIGIN_MS / 1000);
const ORIGIN_REST_MS = ORIGIN_MS - ORIGIN_SECONDS * 1000;
// Held once: on Node 20 the global `performance` is a lazy getter, read on every span time otherwise.
const perf = performance;

/**
 * Now, as an OpenTelemetry `HrTime` ([seconds, nanoseconds] since the epoch), from the monotonic
 * clock anchored once. The time of every span start, event and end zeroscope records.
 */
export function preciseNow(): HrTime {
  return fromPerformance(perf.now());
}

/**
 * A `performance.now()` reading taken earlier in this process, as an HrTime on the same clock;
 * undefined for a number that cannot be one (later than now: an epoch-milliseconds time), which
 * the caller reads as milliseconds since the epoch, as the SDK does.
 */
export function preciseTimeOf(performanceMs: number): HrTime | undefined {
  return performanceMs <= perf.now() ? fromPerformance(performanceMs) : undefined;
}

function fromPerformance(performanceMs: number): HrTime {
  const ms = ORIGIN_REST_MS + performanceMs;
  const seconds = Math.floor(ms / 1000);
  const nanos = Math.round((ms - seconds * 1000) * 1e6);
  return nanos >= 1e9 ? [ORIGIN_SECONDS + seconds + 1, nanos - 1e9] : [ORIGIN_SECONDS + seconds, nanos];
}
