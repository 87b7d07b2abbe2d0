import type { InstantValue } from '../lib/metrics-series.ts';
import { formatValue, seriesColor } from './metrics-chart.tsx';

/** An instant answer: a row per series with its value over the whole range and a bar to compare them. */
export function MetricsInstant(props: { values: InstantValue[]; unit: 'seconds' | 'number' }) {
  const max = props.values.reduce((m, v) => Math.max(m, Math.abs(v.value)), 0) || 1;
  return (
    <table class="results metrics-instant" aria-label="Value per series">
      <thead>
        <tr>
          <th>Series</th>
          <th>Value</th>
          <th class="mi-bar-head" />
        </tr>
      </thead>
      <tbody>
        {props.values.map((v, i) => (
          <tr key={i} class="mi-row" data-series-index={i}>
            <td class="mi-name">{v.name}</td>
            <td class="mi-value" data-value={String(v.value)}>
              {formatValue(v.value, props.unit)}
            </td>
            <td class="mi-bar-cell">
              <span class="mi-bar" style={{ width: `${(Math.abs(v.value) / max) * 100}%`, background: seriesColor(i) }} />
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
