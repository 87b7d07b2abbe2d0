import { useState } from 'preact/hooks';
import { clockOf, formatTick } from '../lib/format.ts';
import { exemplarPlotValue, formatMetricValue, sampleTimes, type ChartSeries, type MetricsChartModel } from '../lib/metrics-series.ts';
import { clockTicks, valueTicks } from '../lib/time-ticks.ts';
import { ExemplarDot } from './exemplar-dot.tsx';

const W = 1000;
const H = 300;
const LEFT = 64;
const RIGHT = 16;
const TOP = 12;
const BOTTOM = 26;

/** Distinct hues for up to 12 series; more repeat (the legend and tooltip still name each). */
export const SERIES_COLORS = ['#2f6fde', '#e8743b', '#19a979', '#d1352b', '#945ecf', '#13a4b4', '#bf399e', '#6c8893', '#ee6868', '#2f4b7c', '#c8a500', '#5c9e3f'];

export const seriesColor = (i: number) => SERIES_COLORS[i % SERIES_COLORS.length];

/** A value for people: durations (`unit` seconds) as 12.3ms, the rest with three digits. */
export function formatValue(v: number, unit: 'seconds' | 'number'): string {
  return unit === 'seconds' ? formatTick(v * 1e9) : formatMetricValue(v);
}

/** The sample of `s` at time `t`, if any. */
const valueAt = (s: ChartSeries, t: number) => s.points.find((p) => p.t === t)?.v;

/**
 * Each series as a line over time (broken where intervals have no sample), exemplars as dots
 * that open their trace, and a crosshair tooltip with every shown series' value at that time.
 */
export function MetricsChart(props: { model: MetricsChartModel; hidden: ReadonlySet<number>; unit: 'seconds' | 'number'; bucketUnit: 'seconds' | 'number'; startMs: number; endMs: number }) {
  const { model, hidden, unit } = props;
  const [hoverT, setHoverT] = useState<number | undefined>(undefined);
  const shown = model.series.map((s, i) => ({ s, i })).filter(({ i }) => !hidden.has(i));
  const times = sampleTimes(shown.map(({ s }) => s));
  let x0 = props.startMs;
  let x1 = props.endMs;
  let vMin = 0;
  let vMax = 0;
  for (const { s } of shown) {
    for (const p of [...s.points, ...s.exemplars.map((e) => ({ t: e.t, v: exemplarPlotValue(s, e) }))]) {
      if (p.t < x0) x0 = p.t;
      if (p.t > x1) x1 = p.t;
      if (p.v < vMin) vMin = p.v;
      if (p.v > vMax) vMax = p.v;
    }
  }
  if (x1 <= x0) x1 = x0 + 1000;
  const yTicks = valueTicks(vMin, vMax);
  const yLo = yTicks[0];
  const yHi = yTicks[yTicks.length - 1];
  const plotW = W - LEFT - RIGHT;
  const plotH = H - TOP - BOTTOM;
  const x = (t: number) => LEFT + ((t - x0) / (x1 - x0)) * plotW;
  const y = (v: number) => TOP + plotH - ((v - yLo) / (yHi - yLo)) * plotH;
  // Samples further apart than one step (with slack) have empty intervals between them: no line across.
  const gap = model.stepMs > 0 ? model.stepMs * 1.5 : Number.POSITIVE_INFINITY;

  const onMove = (e: MouseEvent) => {
    const svg = e.currentTarget as SVGSVGElement;
    const rect = svg.getBoundingClientRect();
    const t = x0 + (((e.clientX - rect.left) / rect.width) * W - LEFT) / plotW * (x1 - x0);
    // Intervals are right-closed and stamped with their end: the cursor's time is in the first sample at or after it.
    setHoverT(times.find((s) => s >= t) ?? times[times.length - 1]);
  };

  return (
    <figure class="metrics-chart">
      <svg viewBox={`0 0 ${W} ${H}`} role="group" aria-label="Metrics over time" onMouseMove={onMove} onMouseLeave={() => setHoverT(undefined)}>
        {yTicks.map((v) => (
          <g key={v} class="metrics-ytick">
            <line x1={LEFT} x2={W - RIGHT} y1={y(v)} y2={y(v)} />
            <text x={LEFT - 6} y={y(v) + 4} text-anchor="end">
              {formatValue(v, unit)}
            </text>
          </g>
        ))}
        {clockTicks(x0, x1).ticksMs.map((t) => (
          <text key={t} class="metrics-xtick" x={x(t)} y={H - 8} text-anchor="middle">
            {clockOf(t).slice(0, clockTicks(x0, x1).stepMs < 60_000 ? 8 : 5)}
          </text>
        ))}
        {hoverT !== undefined ? <line class="metrics-crosshair" x1={x(hoverT)} x2={x(hoverT)} y1={TOP} y2={TOP + plotH} /> : null}
        {shown.map(({ s, i }) => {
          let d = '';
          const lone: number[] = [];
          s.points.forEach((p, k) => {
            const joinsPrev = k > 0 && p.t - s.points[k - 1].t <= gap;
            const joinsNext = k + 1 < s.points.length && s.points[k + 1].t - p.t <= gap;
            d += `${joinsPrev ? 'L' : 'M'}${x(p.t).toFixed(1)},${y(p.v).toFixed(1)}`;
            if (!joinsPrev && !joinsNext) lone.push(k);
          });
          return (
            <g key={i} class="metrics-series" data-series-index={i} style={{ color: seriesColor(i) }}>
              <path class="metrics-line" d={d} />
              {lone.map((k) => (
                <circle key={k} class="metrics-point" cx={x(s.points[k].t)} cy={y(s.points[k].v)} r={2.5} />
              ))}
            </g>
          );
        })}
        {shown.map(({ s, i }) =>
          s.exemplars.map((e, k) => (
            <ExemplarDot
              key={`${i}-${k}`}
              exemplar={e}
              seriesIndex={i}
              cx={x(e.t)}
              cy={y(exemplarPlotValue(s, e))}
              color={seriesColor(i)}
              label={`${s.name} · ${formatValue(e.v, s.bucket === undefined ? unit : props.bucketUnit)}`}
            />
          )),
        )}
      </svg>
      {hoverT !== undefined ? (
        <div class="metrics-tooltip" role="status" style={{ left: `${(x(hoverT) / W) * 100}%` }}>
          <div class="mt-time">{clockOf(hoverT)}</div>
          {shown
            .filter(({ s }) => valueAt(s, hoverT) !== undefined)
            .map(({ s, i }) => (
              <div key={i} class="mt-row">
                <span class="swatch" style={{ background: seriesColor(i) }} />
                <span class="mt-name">{s.name}</span> <strong class="mt-value">{formatValue(valueAt(s, hoverT)!, unit)}</strong>
              </div>
            ))}
        </div>
      ) : null}
    </figure>
  );
}
