import { formatMillis, formatUnixNanos } from '../lib/format.ts';
import { traceHref } from '../lib/router.ts';
import type { ResultRow } from '../lib/search-results.ts';
import { Link } from './link.tsx';

/**
 * Tempo's search answers whole milliseconds (`durationMs`, rounded down): shown as such, never
 * with decimals the data does not have (9.57ms arrives as 9).
 */
export const durationText = (ms: number | undefined) => (ms === undefined ? '–' : ms < 1 ? '<1ms' : formatMillis(ms));

/**
 * Search results, one row per trace, linking to its trace page. Durations get a bar scaled to
 * the slowest trace shown, so outliers stand out at a glance.
 */
export function ResultsTable(props: { rows: ResultRow[] }) {
  if (props.rows.length === 0) return <p class="no-results">No traces found.</p>;
  const slowest = Math.max(1, ...props.rows.map((r) => r.durationMs ?? 0));
  return (
    <div class="results-wrap">
      <p class="results-summary">
        {props.rows.length} {props.rows.length === 1 ? 'trace' : 'traces'}, newest first
      </p>
      <table class="results">
        <thead>
          <tr>
            <th scope="col">Root service</th>
            <th scope="col">Root span</th>
            <th scope="col">Services</th>
            <th scope="col">Start</th>
            <th scope="col" class="num">
              Duration
            </th>
            <th scope="col" class="num">
              Spans
            </th>
            <th scope="col" class="num">
              Errors
            </th>
            <th scope="col">Trace id</th>
          </tr>
        </thead>
        <tbody>
          {props.rows.map((r) => (
            <tr key={r.traceId} class={r.hasError ? 'result-row is-error' : 'result-row'} data-trace-id={r.traceId}>
              <td class="root-service">{r.rootService || <span class="muted">(unknown)</span>}</td>
              <td class="root-name">
                <Link href={traceHref(r.traceId)} class="result-link">
                  {r.rootName || '(root span not yet received)'}
                </Link>
              </td>
              <td class="services">
                {r.services.length ? r.services.map((s) => <span key={s} class="chip">{s}</span>) : <span class="muted">–</span>}
              </td>
              <td class="start">{formatUnixNanos(r.startUnixNano)}</td>
              <td class="num duration">
                <span class="duration-bar" style={{ width: `${Math.max(2, ((r.durationMs ?? 0) / slowest) * 100)}%` }} aria-hidden="true" />
                <span class="duration-text">{durationText(r.durationMs)}</span>
              </td>
              <td class="num spans" title={`${r.matched} matched the query`}>
                {r.spanCount ?? r.matched}
              </td>
              <td class="num errors">
                {r.hasError ? (
                  <>
                    <span class="error-icon" title="Has error spans" aria-label="error">
                      !
                    </span>
                    <span class="result-error-count">{r.errorCount}</span>
                  </>
                ) : (
                  <span class="muted">–</span>
                )}
              </td>
              <td class="mono trace-id">
                <Link href={traceHref(r.traceId)}>{r.traceId.slice(0, 16)}…</Link>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
