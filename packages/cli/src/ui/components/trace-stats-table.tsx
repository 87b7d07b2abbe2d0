import { useMemo, useState } from 'preact/hooks';
import { formatDuration } from '../lib/format.ts';
import { SERVICE_COLOURS, type UiTrace } from '../lib/trace-model.ts';
import { selfTimeNs, traceStats, type SpanGroupStats } from '../lib/trace-stats.ts';

type SortKey = 'count' | 'totalNs' | 'avg' | 'selfNs' | 'errors' | 'name';

const sortValue = (g: SpanGroupStats, key: SortKey): number | string =>
  key === 'avg' ? g.totalNs / g.count : key === 'name' ? `${g.service}\u0000${g.name}` : g[key];

/** Per service, then per service and span name: count, total, average, min, max, self time, errors. */
export function TraceStatsTable(props: { trace: UiTrace }) {
  const stats = useMemo(() => traceStats(props.trace), [props.trace]);
  const [sort, setSort] = useState<SortKey>('selfNs');
  const groups = useMemo(() => {
    const list = [...stats.groups];
    list.sort((a, b) => {
      const x = sortValue(a, sort);
      const y = sortValue(b, sort);
      return typeof x === 'string' ? (x < (y as string) ? -1 : 1) : (y as number) - x;
    });
    return list;
  }, [stats, sort]);
  const traceSelf = props.trace.spans.reduce((n, s) => n + selfTimeNs(s), 0) || 1;
  const header = (key: SortKey, label: string) => (
    <th scope="col" class={key === 'name' ? undefined : 'num'} aria-sort={sort === key ? (key === 'name' ? 'ascending' : 'descending') : undefined}>
      <button type="button" class="linkish sort" onClick={() => setSort(key)}>
        {label}
        {sort === key ? (key === 'name' ? ' ▴' : ' ▾') : ''}
      </button>
    </th>
  );
  return (
    <div class="trace-stats">
      <table class="results stats-services" aria-label="Statistics per service">
        <thead>
          <tr>
            <th scope="col">Service</th>
            <th scope="col" class="num">Spans</th>
            <th scope="col" class="num">Total</th>
            <th scope="col" class="num">Self time</th>
            <th scope="col" class="num">Self %</th>
            <th scope="col" class="num">Errors</th>
          </tr>
        </thead>
        <tbody>
          {stats.services.map((s) => (
            <tr key={s.service} data-service={s.service}>
              <td class={`svc-text-${s.serviceIndex % SERVICE_COLOURS} stat-service`}>{s.service || '(unknown)'}</td>
              <td class="num stat-count">{s.count}</td>
              <td class="num stat-total">{formatDuration(s.totalNs)}</td>
              <td class="num stat-self">{formatDuration(s.selfNs)}</td>
              <td class="num">{((s.selfNs / traceSelf) * 100).toFixed(1)}%</td>
              <td class={s.errors ? 'num stat-errors is-error' : 'num stat-errors'}>{s.errors}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <table class="results stats-groups" aria-label="Statistics per span name">
        <thead>
          <tr>
            {header('name', 'Service · span name')}
            {header('count', 'Count')}
            {header('totalNs', 'Total')}
            {header('avg', 'Avg')}
            <th scope="col" class="num">Min</th>
            <th scope="col" class="num">Max</th>
            {header('selfNs', 'Self time')}
            {header('errors', 'Errors')}
          </tr>
        </thead>
        <tbody>
          {groups.map((g) => (
            <tr key={`${g.service}\u0000${g.name}`} data-service={g.service} data-name={g.name}>
              <td>
                <span class={`svc-text-${g.serviceIndex % SERVICE_COLOURS} stat-service`}>{g.service || '(unknown)'}</span>{' '}
                <span class="stat-name">{g.name}</span>
              </td>
              <td class="num stat-count">{g.count}</td>
              <td class="num stat-total">{formatDuration(g.totalNs)}</td>
              <td class="num">{formatDuration(g.totalNs / g.count)}</td>
              <td class="num">{formatDuration(g.minNs)}</td>
              <td class="num">{formatDuration(g.maxNs)}</td>
              <td class="num stat-self">{formatDuration(g.selfNs)}</td>
              <td class={g.errors ? 'num stat-errors is-error' : 'num stat-errors'}>{g.errors}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
