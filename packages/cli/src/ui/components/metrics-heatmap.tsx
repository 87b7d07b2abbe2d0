import { clockOf } from '../lib/format.ts';
import { formatValue, seriesColor } from './metrics-chart.tsx';
import type { MetricsChartModel } from '../lib/metrics-series.ts';
import { clockTicks } from '../lib/time-ticks.ts';
import { ExemplarDot } from './exemplar-dot.tsx';

const W = 1000;
const LEFT = 84;
const RIGHT = 16;
const TOP = 8;
const BOTTOM = 26;
const ROW_H = 22;

/**
 * histogram_over_time as a heatmap: a row per bucket (its upper bound, lowest at the bottom), a
 * cell per interval `(t - step, t]` shaded by its count, and exemplars as dots in their bucket's row.
 * Drawn for one group of buckets; `bucketUnit` is what the bounds measure (seconds for durations).
 */
export function MetricsHeatmap(props: { model: MetricsChartModel; bucketUnit: 'seconds' | 'number'; startMs: number; endMs: number }) {
  const { model } = props;
  const rows = model.series;
  const step = model.stepMs || 1000;
  let x0 = props.startMs;
  let x1 = props.endMs;
  let max = 0;
  for (const s of rows) {
    for (const p of s.points) {
      if (p.t - step < x0) x0 = p.t - step;
      if (p.t > x1) x1 = p.t;
      if (p.v > max) max = p.v;
    }
  }
  if (x1 <= x0) x1 = x0 + step;
  const H = TOP + BOTTOM + rows.length * ROW_H;
  const plotW = W - LEFT - RIGHT;
  const x = (t: number) => LEFT + ((t - x0) / (x1 - x0)) * plotW;
  // Row 0 (the smallest bucket) at the bottom, as on a value axis.
  const rowTop = (i: number) => TOP + (rows.length - 1 - i) * ROW_H;
  const ticks = clockTicks(x0, x1);
  return (
    <figure class="metrics-heatmap">
      <svg viewBox={`0 0 ${W} ${H}`} role="group" aria-label="Histogram over time">
        {rows.map((s, i) => (
          <g key={i} class="heatmap-row" data-bucket={s.bucket}>
            <text class="heatmap-bound" x={LEFT - 6} y={rowTop(i) + ROW_H / 2 + 4} text-anchor="end">
              {`≤ ${formatValue(s.bucket ?? 0, props.bucketUnit)}`}
            </text>
            <line class="heatmap-grid" x1={LEFT} x2={W - RIGHT} y1={rowTop(i) + ROW_H} y2={rowTop(i) + ROW_H} />
            {s.points
              .filter((p) => p.v > 0)
              .map((p) => (
                <rect
                  key={p.t}
                  class="heatmap-cell"
                  data-bucket={s.bucket}
                  data-timestamp-ms={p.t}
                  data-value={String(p.v)}
                  x={x(p.t - step)}
                  y={rowTop(i) + 1}
                  width={Math.max(1, x(p.t) - x(p.t - step) - 0.5)}
                  height={ROW_H - 2}
                  style={{ opacity: 0.15 + 0.85 * (p.v / (max || 1)) }}
                >
                  <title>{`≤ ${formatValue(s.bucket ?? 0, props.bucketUnit)} · ${clockOf(p.t - step)}–${clockOf(p.t)} · ${formatValue(p.v, 'number')}`}</title>
                </rect>
              ))}
          </g>
        ))}
        {ticks.ticksMs.map((t) => (
          <text key={t} class="metrics-xtick" x={x(t)} y={H - 8} text-anchor="middle">
            {clockOf(t).slice(0, ticks.stepMs < 60_000 ? 8 : 5)}
          </text>
        ))}
        {rows.map((s, i) =>
          s.exemplars.map((e, k) => (
            <ExemplarDot
              key={`${i}-${k}`}
              exemplar={e}
              seriesIndex={i}
              cx={x(e.t)}
              cy={rowTop(i) + ROW_H / 2}
              color={seriesColor(0)}
              label={`≤ ${formatValue(s.bucket ?? 0, props.bucketUnit)} · ${formatValue(e.v, props.bucketUnit)}`}
            />
          )),
        )}
      </svg>
    </figure>
  );
}
