import { formatDuration } from '../lib/format.ts';

const TICKS = 5;

/** Tick labels across the bar column: 0 … trace duration. */
export function TimeAxis(props: { durationNs: number }) {
  const ticks = Array.from({ length: TICKS + 1 }, (_, i) => i / TICKS);
  return (
    <div class="time-axis" aria-hidden="true">
      {ticks.map((f) => (
        <span key={f} class={f === 1 ? 'tick tick-last' : 'tick'} style={{ left: `${f * 100}%` }}>
          {formatDuration(props.durationNs * f)}
        </span>
      ))}
    </div>
  );
}
