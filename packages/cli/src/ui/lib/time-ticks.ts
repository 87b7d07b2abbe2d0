/**
 * Time-axis ticks at round steps (1, 2 or 5 × a power of ten nanoseconds), so the axis reads
 * 0, 5ms, 10ms, 15ms rather than fifths of an arbitrary duration.
 */

export interface TimeTicks {
  /** Nanoseconds between ticks. */
  stepNs: number;
  /** Tick offsets from the trace start, 0 first, none past the duration. */
  ticksNs: number[];
}

/** About `target` ticks (never more than `target` + 1) across `durationNs`. */
export function timeTicks(durationNs: number, target = 5): TimeTicks {
  if (!(durationNs > 0) || !Number.isFinite(durationNs)) return { stepNs: 1, ticksNs: [0] };
  const raw = durationNs / target;
  const power = 10 ** Math.floor(Math.log10(raw));
  const stepNs = [1, 2, 5, 10].map((m) => m * power).find((s) => s >= raw) ?? 10 * power;
  const ticksNs: number[] = [];
  // Rounding guards against 0.1 + 0.2 style drift piling up over the loop.
  for (let i = 0; i * stepNs <= durationNs * (1 + 1e-9); i++) ticksNs.push(Math.round(i * stepNs * 1e3) / 1e3);
  return { stepNs, ticksNs };
}

const SEC = 1000;
/** Steps a clock axis reads well at: seconds, minutes and hours people count in. */
const CLOCK_STEPS_MS = [1, 2, 5, 10, 15, 30].map((s) => s * SEC)
  .concat([1, 2, 5, 10, 15, 30].map((m) => m * 60 * SEC))
  .concat([1, 2, 3, 6, 12, 24].map((h) => h * 3600 * SEC));

/**
 * Ticks of a wall-clock axis from `startMs` to `endMs` (unix ms) on round local times (every
 * 5 minutes at :00, :05, …), about `target` of them.
 */
export function clockTicks(startMs: number, endMs: number, target = 6): { stepMs: number; ticksMs: number[] } {
  const span = endMs - startMs;
  if (!(span > 0) || !Number.isFinite(span)) return { stepMs: SEC, ticksMs: [] };
  const stepMs = CLOCK_STEPS_MS.find((s) => span / s <= target) ?? CLOCK_STEPS_MS[CLOCK_STEPS_MS.length - 1];
  // Round in local time so hour steps land on the hour where the zone is not a whole hour off UTC.
  const offsetMs = new Date(startMs).getTimezoneOffset() * 60 * SEC;
  const first = Math.ceil((startMs - offsetMs) / stepMs) * stepMs + offsetMs;
  const ticksMs: number[] = [];
  for (let t = first; t <= endMs; t += stepMs) ticksMs.push(t);
  return { stepMs, ticksMs };
}

/** Round value-axis ticks (1, 2 or 5 × 10^n apart) from 0 or below up to at least `max`. */
export function valueTicks(min: number, max: number, target = 5): number[] {
  const lo = Math.min(0, min);
  const hi = max > lo ? max : lo + 1;
  const raw = (hi - lo) / target;
  const power = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * power).find((s) => s >= raw) ?? 10 * power;
  const out: number[] = [];
  const first = Math.floor(lo / step);
  for (let i = first; out.length === 0 || out[out.length - 1] < hi; i++) out.push(Number((i * step).toPrecision(12)));
  return out;
}
