import { plural } from '../lib/format.ts';
import type { ChartSeries } from '../lib/metrics-series.ts';
import { formatValue, seriesColor } from './metrics-chart.tsx';

/** One entry per series (name as text, colour, last and max values); a click hides or shows it. */
export function MetricsLegend(props: { series: ChartSeries[]; hidden: ReadonlySet<number>; unit: 'seconds' | 'number'; onToggle(i: number): void }) {
  return (
    <ul class="metrics-legend" aria-label="Series">
      {props.series.map((s, i) => {
        const last = s.points[s.points.length - 1]?.v;
        const max = s.points.reduce((m, p) => Math.max(m, p.v), Number.NEGATIVE_INFINITY);
        const off = props.hidden.has(i);
        return (
          <li key={i} class={off ? 'legend-item is-hidden' : 'legend-item'} data-series-index={i}>
            <button type="button" aria-pressed={!off} title={off ? 'Show this series' : 'Hide this series'} onClick={() => props.onToggle(i)}>
              <span class="swatch" style={{ background: seriesColor(i) }} />
              <span class="legend-name">{s.name}</span>
            </button>
            <span class="legend-stats muted">
              last {last === undefined ? '–' : formatValue(last, props.unit)} · max {Number.isFinite(max) ? formatValue(max, props.unit) : '–'} · {plural(s.exemplars.length, 'exemplar')}
            </span>
          </li>
        );
      })}
    </ul>
  );
}
