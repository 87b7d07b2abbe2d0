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
