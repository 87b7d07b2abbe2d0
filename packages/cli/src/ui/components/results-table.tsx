import { useState } from 'preact/hooks';
import { formatDuration, formatMillis, formatUnixNanos, plural, toNanos } from '../lib/format.ts';
import { navigate, traceHref, traceViewHref } from '../lib/router.ts';
import type { MatchedSet, ResultRow } from '../lib/search-results.ts';
import { Link } from './link.tsx';

/**
 * Tempo's search answers whole milliseconds (`durationMs`, rounded down): shown as such, never
 * with decimals the data does not have (9.57ms arrives as 9).
 */
export const durationText = (ms: number | undefined) => (ms === undefined ? '–' : ms < 1 ? '<1ms' : formatMillis(ms));

/**
 * Search results, one row per trace, linking to its trace page. Durations get a bar scaled to
 * the slowest trace shown, so outliers stand out at a glance. Each row opens in place to the
 * spans the query matched (Grafana's span sets): service, name, exact duration and the
 * attributes the query referenced or `select()`ed, each linking to that span.
 */
export function ResultsTable(props: { rows: ResultRow[] }) {
  const [open, setOpen] = useState<ReadonlySet<string>>(new Set());
  /** Traces ticked for comparison, in the order ticked (the first is A). */
  const [picked, setPicked] = useState<string[]>([]);
  if (props.rows.length === 0) return <p class="no-results">No traces found.</p>;
  const slowest = Math.max(1, ...props.rows.map((r) => r.durationMs ?? 0));
  const toggle = (id: string) => {
    const next = new Set(open);
    if (next.has(id)) next.delete(id);
    else next.add(id);
    setOpen(next);
  };
  const allOpen = props.rows.every((r) => open.has(r.traceId));
  return (
    <div class="results-wrap">
      <p class="results-summary">
        {props.rows.length} {props.rows.length === 1 ? 'trace' : 'traces'}, newest first{' '}
        <button type="button" class="linkish expand-all-sets" onClick={() => setOpen(allOpen ? new Set() : new Set(props.rows.map((r) => r.traceId)))}>
          {allOpen ? 'hide matched spans' : 'show all matched spans'}
        </button>{' '}
        <button
          type="button"
          class="compare-picked"
          disabled={picked.length !== 2}
          title="Tick two traces to compare them span by span"
          onClick={() => navigate(traceViewHref(picked[0], 'compare', picked[1]))}
        >
          Compare {picked.length === 2 ? 'the 2 ticked traces' : `(tick ${2 - picked.length} more)`}
        </button>
      </p>
      <table class="results">
        <thead>
          <tr>
            <th scope="col" class="expand-col">
              <span class="sr-only">Matched spans</span>
            </th>
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
          {props.rows.flatMap((r) => [
            <tr key={r.traceId} class={r.hasError ? 'result-row is-error' : 'result-row'} data-trace-id={r.traceId}>
              <td class="expand-col">
                <input
                  type="checkbox"
                  class="pick-compare"
                  aria-label="Tick to compare"
                  checked={picked.includes(r.traceId)}
                  onChange={(e) =>
                    setPicked(e.currentTarget.checked ? [...picked.filter((id) => id !== r.traceId), r.traceId].slice(-2) : picked.filter((id) => id !== r.traceId))
                  }
                />
                <button
                  type="button"
                  class="set-toggle"
                  aria-expanded={open.has(r.traceId)}
                  aria-label={`${open.has(r.traceId) ? 'Hide' : 'Show'} the ${plural(r.matched, 'matched span')}`}
                  title={`${plural(r.matched, 'span')} matched`}
                  onClick={() => toggle(r.traceId)}
                >
                  {open.has(r.traceId) ? '▾' : '▸'} <span class="matched-count">{r.matched}</span>
                </button>
              </td>
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
            </tr>,
            open.has(r.traceId) ? (
              <tr key={`${r.traceId}-sets`} class="span-sets-row" data-trace-id={r.traceId}>
                <td />
                <td colSpan={8}>
                  <SpanSets traceId={r.traceId} sets={r.spanSets} traceStart={r.startUnixNano} />
                </td>
              </tr>
            ) : null,
          ])}
        </tbody>
      </table>
    </div>
  );
}

/** The matched spans of one trace, set by set, each a link to the span on the trace page. */
function SpanSets(props: { traceId: string; sets: MatchedSet[]; traceStart: string }) {
  if (props.sets.every((s) => s.spans.length === 0)) return <p class="muted">The query returned no spans for this trace.</p>;
  const start = toNanos(props.traceStart);
  return (
    <div class="span-sets">
      {props.sets.map((set, i) => (
        <table key={i} class="span-set" aria-label={`Span set ${i + 1}`}>
          <caption>
            {props.sets.length > 1 ? `Span set ${i + 1}: ` : ''}
            {set.spans.length < set.matched ? `${set.spans.length} of ${set.matched} matched spans` : plural(set.matched, 'matched span')}
            {set.attributes.map((a) => (
              <span key={a.key} class="chip set-attr">
                {a.key} = {a.value}
              </span>
            ))}
          </caption>
          <tbody>
            {set.spans.map((sp) => (
              <tr key={sp.spanId} class="matched-span" data-span-id={sp.spanId}>
                <td class="ms-service">{sp.service || <span class="muted">–</span>}</td>
                <td class="ms-name">
                  <Link href={traceHref(props.traceId, sp.spanId)}>{sp.name || '(unnamed span)'}</Link>
                </td>
                <td class="num ms-duration">{sp.durationNs === undefined ? '–' : formatDuration(sp.durationNs)}</td>
                <td class="num ms-start muted">{sp.startUnixNano && start ? `+${formatDuration(Number(toNanos(sp.startUnixNano) - start))}` : ''}</td>
                <td class="ms-attrs">
                  {sp.attributes.map((a, j) => (
                    <span key={`${a.key}\u0000${j}`} class="chip ms-attr" data-key={a.key}>
                      {a.key} = {a.value}
                    </span>
                  ))}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ))}
    </div>
  );
}
