/**
 * Back-pressure in front of the store: a cap on the pushes and spans waiting for the store at
 * once. Past it a push fails fast with OverloadedError (503 + Retry-After), so exporters retry
 * later instead of the backend holding ever more decoded requests in memory while the store lags.
 */
import { OverloadedError } from './errors.ts';

/** What the limiter wraps and returns: any `push(request)` (the receivers' TracesPusher). */
export interface Pusher<R> {
  push(request: R): Promise<unknown>;
}

/** Limits of {@link pushLimiter}. */
export interface PushLimits {
  /** Pushes waiting for the store at once (default 64). */
  maxInFlightPushes?: number;
  /** Spans waiting for the store at once, summed over those pushes (default 200,000). */
  maxInFlightSpans?: number;
  /** Sent as Retry-After when refusing (default 1 second). */
  retryAfterSeconds?: number;
}

/** Counters of a limiter, for tests and the reliability report. */
export interface PushLimiterStats {
  inFlightPushes: number;
  inFlightSpans: number;
  /** The most pushes that were ever in flight together. */
  highWaterPushes: number;
  highWaterSpans: number;
  accepted: number;
  rejected: number;
}

/** A pusher with a limit; `stats()` reports what it let through and refused. */
export interface LimitedPusher<R> extends Pusher<R> {
  push(request: R): Promise<void>;
  stats(): PushLimiterStats;
}

export const DEFAULT_MAX_IN_FLIGHT_PUSHES = 64;
export const DEFAULT_MAX_IN_FLIGHT_SPANS = 200_000;

/** Spans in an OTLP export request, without decoding anything further. */
export function countSpans(request: unknown): number {
  let n = 0;
  const resourceSpans = (request as { resourceSpans?: unknown })?.resourceSpans;
  if (!Array.isArray(resourceSpans)) return 0;
  for (const rs of resourceSpans) {
    const scopeSpans = (rs as { scopeSpans?: unknown })?.scopeSpans;
    if (!Array.isArray(scopeSpans)) continue;
    for (const ss of scopeSpans) {
      const spans = (ss as { spans?: unknown })?.spans;
      if (Array.isArray(spans)) n += spans.length;
    }
  }
  return n;
}

/**
 * Wraps `pusher` so at most `maxInFlightPushes` pushes (and `maxInFlightSpans` spans) wait on it.
 * A single push larger than the span cap is still let through when nothing else is in flight, so
 * a big but legal request is never refused forever.
 * @example
 * const pusher = pushLimiter(storePusher(store), { maxInFlightPushes: 32 });
 * createOtlpHttpReceiver({ port: 4318, pusher });
 */
export function pushLimiter<R>(pusher: Pusher<R>, limits: PushLimits = {}): LimitedPusher<R> {
  const maxPushes = Math.max(1, limits.maxInFlightPushes ?? DEFAULT_MAX_IN_FLIGHT_PUSHES);
  const maxSpans = Math.max(1, limits.maxInFlightSpans ?? DEFAULT_MAX_IN_FLIGHT_SPANS);
  const retryAfter = limits.retryAfterSeconds ?? 1;
  const s: PushLimiterStats = { inFlightPushes: 0, inFlightSpans: 0, highWaterPushes: 0, highWaterSpans: 0, accepted: 0, rejected: 0 };
  return {
    async push(request) {
      const spans = countSpans(request);
      if (s.inFlightPushes >= maxPushes || (s.inFlightPushes > 0 && s.inFlightSpans + spans > maxSpans)) {
        s.rejected++;
        throw new OverloadedError(`${s.inFlightPushes} writes with ${s.inFlightSpans} spans pending`, retryAfter);
      }
      s.inFlightPushes++;
      s.inFlightSpans += spans;
      s.highWaterPushes = Math.max(s.highWaterPushes, s.inFlightPushes);
      s.highWaterSpans = Math.max(s.highWaterSpans, s.inFlightSpans);
      try {
        await pusher.push(request);
        s.accepted++;
      } finally {
        s.inFlightPushes--;
        s.inFlightSpans -= spans;
      }
    },
    stats: () => ({ ...s }),
  };
}
