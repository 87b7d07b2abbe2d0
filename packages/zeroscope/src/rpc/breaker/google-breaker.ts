import { RollingWindow } from './rolling-window.ts';

/** Tuning of a {@link GoogleBreaker}; every field has go-zero's default. */
export interface BreakerOptions {
  /** How far back calls are counted, ms (default 10 000). */
  windowMs?: number;
  /** Slices of the window (default 40, so 250 ms each). */
  buckets?: number;
  /** Multiplier of accepts: the higher, the later the breaker opens (default 1.5). */
  k?: number;
  /** Calls always let through before any throttling, so a quiet client never trips (default 5). */
  protection?: number;
  /** Let one call through after this long without a pass, to notice recovery (default 1000 ms). */
  forcePassMs?: number;
  /** Clock, ms (tests pass a fake one). */
  now?: () => number;
  /** Random in [0, 1) (tests pass a fixed one). */
  random?: () => number;
}

/** What the caller reports once a let-through call ended. */
export interface BreakerPromise {
  /** The call succeeded, or failed in a way that says nothing about the server (NOT_FOUND…). */
  accept(): void;
  /** The call failed in a way that says the server is in trouble (UNAVAILABLE…). */
  reject(): void;
}

/**
 * Adaptive client-side throttling from Google's SRE book ("Handling Overload"), as go-zero's
 * googleBreaker: over a rolling window the client counts `requests` and `accepts` and refuses a
 * new call locally with probability max(0, (requests − protection − K·accepts) / (requests + 1)).
 * There is no open/closed switch: the more calls fail, the more are dropped; as soon as let-through
 * calls succeed again the ratio falls back to 0. Dropped calls count as requests, so a dead server
 * keeps most calls away from it.
 */
export class GoogleBreaker {
  readonly name: string;
  private readonly window: RollingWindow;
  private readonly k: number;
  private readonly protection: number;
  private readonly forcePassMs: number;
  private readonly now: () => number;
  private readonly random: () => number;
  private lastPass: number;

  constructor(name: string, options: BreakerOptions = {}) {
    const { windowMs = 10_000, buckets = 40, k = 1.5, protection = 5, forcePassMs = 1000 } = options;
    this.name = name;
    this.now = options.now ?? Date.now;
    this.random = options.random ?? Math.random;
    this.window = new RollingWindow(windowMs, buckets, this.now);
    this.k = k;
    this.protection = protection;
    this.forcePassMs = forcePassMs;
    this.lastPass = this.now();
  }

  /** The probability a call is refused right now, in [0, 1). */
  dropRatio(): number {
    const { accepts, total } = this.window.totals();
    return Math.max(0, (total - this.protection - this.k * accepts) / (total + 1));
  }

  /**
   * Asks to make a call: a promise to settle when it ends, or undefined when the call must be
   * refused locally (then it has been counted as a request already).
   */
  allow(): BreakerPromise | undefined {
    const ratio = this.dropRatio();
    const now = this.now();
    const forced = ratio > 0 && now - this.lastPass >= this.forcePassMs;
    if (ratio > 0 && !forced && this.random() < ratio) {
      this.window.add(false);
      return undefined;
    }
    this.lastPass = now;
    let settled = false;
    return {
      accept: () => {
        if (settled) return;
        settled = true;
        this.window.add(true);
      },
      reject: () => {
        if (settled) return;
        settled = true;
        this.window.add(false);
      },
    };
  }
}
