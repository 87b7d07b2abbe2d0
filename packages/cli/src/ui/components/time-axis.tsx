import { formatTick } from '../lib/format.ts';
import type { TimeTicks } from '../lib/time-ticks.ts';

/**
 * Tick labels across the bar column at round steps; the rows' grid lines (styles.css, sized by
 * `--grid-step` on the waterfall) fall on the same offsets.
 */
export function TimeAxis(props: { durationNs: number; ticks: TimeTicks }) {
  const total = props.durationNs || 1;
  return (
    <div class="time-axis" aria-hidden="true">
      {props.ticks.ticksNs.map((t, i) => {
        const at = (t / total) * 100;
        // A label too close to the right edge is right-aligned so it is not cut off.
        const cls = i === 0 ? 'tick tick-first' : at > 94 ? 'tick tick-last' : 'tick';
        return (
          <span key={t} class={cls} style={{ left: `${at}%` }}>
            {i === 0 ? '0' : formatTick(t)}
          </span>
        );
      })}
    </div>
  );
}
