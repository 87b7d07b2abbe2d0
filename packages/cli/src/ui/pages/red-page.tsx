import { useMemo } from 'preact/hooks';
import { fetchTagValues } from '../lib/api.ts';
import { formatDuration } from '../lib/format.ts';
import { navigate, traceHref } from '../lib/router.ts';
import { useAsync } from '../lib/use-async.ts';
import { fetchRed, type RedRow } from '../lib/zeroscope-api.ts';
import { ErrorBanner } from '../components/error-banner.tsx';
import { Link } from '../components/link.tsx';
import { SelectField } from '../components/select-field.tsx';

const WINDOWS: Record<string, number> = { '15m': 900, '1h': 3600, '6h': 21600, '24h': 86400 };

function pct(n: number): string {
  return `${(n * 100).toFixed(n > 0 && n < 0.01 ? 2 : 1)}%`;
}

function rate(perSecond: number): string {
  return perSecond >= 1 ? `${perSecond.toFixed(1)}/s` : `${(perSecond * 60).toFixed(2)}/min`;
}

/** `/red?service=&range=`: rate, errors and duration percentiles per service and route, linking to example traces. */
export function RedPage(props: { params: URLSearchParams }) {
  const service = props.params.get('service') ?? '';
  const range = props.params.get('range') ?? '';
  const window = WINDOWS[range] ?? WINDOWS['1h'];
  const key = `${service}\u0000${window}`;
  const services = useAsync((signal) => fetchTagValues('resource.service.name', {}, { signal }), []);
  const red = useAsync((signal) => {
    const now = Math.floor(Date.now() / 1000);
    const q = new URLSearchParams({ start: String(now - window), end: String(now + 1) });
    if (service) q.set('service', service);
    return fetchRed(q, { signal });
  }, [key]);
  const go = (patch: Record<string, string>) => {
    const next = new URLSearchParams(props.params);
    for (const [k, v] of Object.entries(patch)) {
      if (v) next.set(k, v);
      else next.delete(k);
    }
    const qs = next.toString();
    navigate(qs ? `/red?${qs}` : '/red');
  };
  const options = services.status === 'done' ? services.value : [];
  const rows = useMemo(() => (red.status === 'done' ? red.value.routes : []), [red]);

  return (
    <section class="page red-page">
      <h1>RED: rate, errors, duration</h1>
      <div class="form-line red-controls">
        <SelectField label="Service" name="service" value={service} options={options} anyLabel="(all)" onChange={(value) => go({ service: value })} />
        <label>
          Window{' '}
          <select name="range" value={range in WINDOWS ? range : '1h'} onChange={(e) => go({ range: e.currentTarget.value === '1h' ? '' : e.currentTarget.value })}>
            {Object.keys(WINDOWS).map((w) => (
              <option key={w} value={w}>
                last {w}
              </option>
            ))}
          </select>
        </label>
        <span class="muted">Server spans of each service, grouped by operation (route or RPC method).</span>
      </div>
      {red.status === 'loading' ? <p class="loading">Computing…</p> : null}
      {red.status === 'error' ? <ErrorBanner error={red.error} context="Could not compute RED" /> : null}
      {red.status === 'done' && rows.length === 0 ? <p class="no-results">No server spans in this window.</p> : null}
      {rows.length ? <RedTable rows={rows} /> : null}
      {red.status === 'done' && red.value.truncated ? <p class="muted">Only the newest {red.value.inspectedTraces} traces were read.</p> : null}
    </section>
  );
}

function RedTable(props: { rows: RedRow[] }) {
  return (
    <table class="results red-table" aria-label="RED per route">
      <thead>
        <tr>
          <th>Service</th>
          <th>Route</th>
          <th>Requests</th>
          <th>Rate</th>
          <th>Errors</th>
          <th>p50</th>
          <th>p95</th>
          <th>p99</th>
          <th>Example traces</th>
        </tr>
      </thead>
      <tbody>
        {props.rows.map((r) => (
          <tr key={`${r.service}\u0000${r.route}`} class={r.errors ? 'red-row is-error' : 'red-row'} data-service={r.service} data-route={r.route}>
            <td class="red-service">{r.service}</td>
            <td class="red-route">{r.route}</td>
            <td class="red-requests">{r.requests}</td>
            <td>{rate(r.rate)}</td>
            <td class="red-errors">
              {r.errors} ({pct(r.errorRate)})
            </td>
            <td>{formatDuration(r.p50Nanos)}</td>
            <td>{formatDuration(r.p95Nanos)}</td>
            <td>{formatDuration(r.p99Nanos)}</td>
            <td class="red-examples">
              {r.examples.map((ex) => (
                <Link key={ex.spanId} href={traceHref(ex.traceId, ex.spanId)} class={ex.error ? 'red-example is-error' : 'red-example'} title={`${ex.reason}: ${formatDuration(ex.durationNanos)}`}>
                  {ex.reason} {formatDuration(ex.durationNanos)}
                </Link>
              ))}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
