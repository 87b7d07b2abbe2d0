import { sampleTimes, type ChartSeries } from '../lib/metrics-series.ts';
import { clockOf } from '../lib/format.ts';
import { formatValue } from './metrics-chart.tsx';

/**
 * Every sample as a table: a row per sample time, a column per series. Cells carry the exact
 * value in `data-value` and show it formatted; an interval without a sample is empty.
 */
export function MetricsTable(props: { series: ChartSeries[]; unit: 'seconds' | 'number' }) {
  const times = sampleTimes(props.series);
  const byTime = props.series.map((s) => new Map(s.points.map((p) => [p.t, p.v])));
  return (
    <div class="metrics-table-wrap">
      <table class="results metrics-table" aria-label="Series values">
        <thead>
          <tr>
            <th>Time</th>
            {props.series.map((s, i) => (
              <th key={i} class="mt-series" data-series-index={i}>
                {s.name}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {times.map((t) => (
            <tr key={t} data-timestamp-ms={t}>
              <td class="mt-time">{clockOf(t)}</td>
              {byTime.map((m, i) => {
                const v = m.get(t);
                return (
                  <td key={i} class="mt-cell" data-series-index={i} data-value={v === undefined ? undefined : String(v)}>
                    {v === undefined ? '' : formatValue(v, props.unit)}
                  </td>
                );
              })}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
