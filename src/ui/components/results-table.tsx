import { formatDuration, formatUnixNanos } from '../lib/format.ts';
import { traceHref } from '../lib/router.ts';
import type { ResultRow } from '../lib/search-results.ts';
import { Link } from './link.tsx';

/** Search results, one row per trace, linking to its trace page. */
export function ResultsTable(props: { rows: ResultRow[] }) {
  if (props.rows.length === 0) return <p class="no-results">No traces found.</p>;
  return (
    <table class="results">
      <thead>
        <tr>
          <th scope="col">Root service</th>
          <th scope="col">Root span</th>
          <th scope="col">Start</th>
          <th scope="col">Duration</th>
          <th scope="col">Spans matched</th>
          <th scope="col">Trace id</th>
        </tr>
      </thead>
      <tbody>
        {props.rows.map((r) => (
          <tr key={r.traceId} class={r.hasError ? 'result-row is-error' : 'result-row'} data-trace-id={r.traceId}>
            <td>
              {r.hasError ? <span class="error-icon" title="Has error spans" aria-label="error">!</span> : null}
              {r.rootService || <span class="muted">(unknown)</span>}
            </td>
            <td>
              <Link href={traceHref(r.traceId)} class="result-link">
                {r.rootName || '(root span not yet received)'}
              </Link>
            </td>
            <td>{formatUnixNanos(r.startUnixNano)}</td>
            <td>{r.durationMs === undefined ? '–' : r.durationMs < 1 ? '<1ms' : formatDuration(r.durationMs * 1_000_000)}</td>
            <td>{r.matched}</td>
            <td class="mono">
              <Link href={traceHref(r.traceId)}>{r.traceId.slice(0, 16)}…</Link>
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
