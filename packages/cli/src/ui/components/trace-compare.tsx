import { useMemo, useState } from 'preact/hooks';
import { fetchTrace } from '../lib/api.ts';
import { formatDuration, plural } from '../lib/format.ts';
import { parseTraceInput } from '../lib/ids.ts';
import { navigate, traceHref, traceViewHref } from '../lib/router.ts';
import { diffTraces, type DiffRow } from '../lib/trace-diff.ts';
import { buildTrace, SERVICE_COLOURS, type UiTrace } from '../lib/trace-model.ts';
import { useAsync } from '../lib/use-async.ts';
import { ErrorBanner } from './error-banner.tsx';
import { Link } from './link.tsx';

const INDENT_PX = 14;

/** "+1.20ms" / "−3.00ms" / "±0". */
function deltaText(ns: number): string {
  if (ns === 0) return '±0';
  return `${ns > 0 ? '+' : '−'}${formatDuration(Math.abs(ns))}`;
}

/**
 * This trace (A) against another (B): pick B by id or traceparent; every span matched by its
 * path of service and span name shows both durations and the difference, and spans only one of
 * them has are marked. B stays in the URL (`?view=compare&compare=<id>`).
 */
export function TraceCompare(props: { trace: UiTrace; compare: string | undefined }) {
  const { trace } = props;
  const [input, setInput] = useState(props.compare ?? '');
  const [inputError, setInputError] = useState('');
  const other = useAsync(
    async (signal) => (props.compare ? buildTrace(await fetchTrace(props.compare, { signal }), props.compare) : undefined),
    [props.compare],
  );
  const submit = (e: Event) => {
    e.preventDefault();
    let other: string;
    try {
      other = parseTraceInput(input).traceId;
    } catch (err) {
      setInputError(err instanceof Error ? err.message : String(err));
      return;
    }
    setInputError('');
    navigate(traceViewHref(trace.traceId, 'compare', other), { replace: true });
  };
  return (
    <div class="trace-compare">
      <form class="compare-form" onSubmit={submit}>
        <label>
          Compare with trace{' '}
          <input type="text" name="compare" class="mono" size={40} placeholder="trace id or traceparent" value={input} onInput={(e) => setInput(e.currentTarget.value)} />
        </label>
        <button type="submit">Compare</button>
        {inputError ? (
          <span class="goto-error compare-error" role="alert">
            {inputError}
          </span>
        ) : null}
      </form>
      {other.status === 'loading' && props.compare ? <p class="loading">Loading trace {props.compare}…</p> : null}
      {other.status === 'error' ? <ErrorBanner error={other.error} context={`Could not load trace ${props.compare}`} /> : null}
      {other.status === 'done' && other.value ? <DiffTable a={trace} b={other.value} /> : null}
    </div>
  );
}

function DiffTable(props: { a: UiTrace; b: UiTrace }) {
  const { a, b } = props;
  const rows = useMemo(() => diffTraces(a, b), [a, b]);
  const onlyA = rows.filter((r) => !r.b).length;
  const onlyB = rows.filter((r) => !r.a).length;
  return (
    <>
      <p class="compare-summary">
        A <code class="mono">{a.traceId.slice(0, 16)}…</code> {formatDuration(a.durationNs)}, {plural(a.spans.length, 'span')} · B{' '}
        <Link href={traceHref(b.traceId)} class="mono">
          {b.traceId.slice(0, 16)}…
        </Link>{' '}
        {formatDuration(b.durationNs)}, {plural(b.spans.length, 'span')} · difference <strong class="compare-total-delta">{deltaText(b.durationNs - a.durationNs)}</strong> ·{' '}
        <span class="compare-matched">{rows.length - onlyA - onlyB} matched</span>, <span class="only-a">{onlyA} only in A</span>,{' '}
        <span class="only-b">{onlyB} only in B</span>
      </p>
      <table class="results compare-table" aria-label="Spans of both traces">
        <thead>
          <tr>
            <th scope="col">Service · span</th>
            <th scope="col" class="num">A</th>
            <th scope="col" class="num">B</th>
            <th scope="col" class="num">B − A</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r, i) => (
            <DiffRowView key={i} row={r} a={a} b={b} />
          ))}
        </tbody>
      </table>
    </>
  );
}

function DiffRowView(props: { row: DiffRow; a: UiTrace; b: UiTrace }) {
  const { row } = props;
  const cls = ['compare-row'];
  if (!row.a) cls.push('only-in-b');
  if (!row.b) cls.push('only-in-a');
  if (row.deltaNs !== undefined && row.a && row.deltaNs !== 0) cls.push(row.deltaNs > 0 ? 'is-slower' : 'is-faster');
  const side = (s: DiffRow['a'], traceId: string) =>
    s ? (
      <Link href={traceHref(traceId, s.spanId)} class={s.error ? 'is-error' : undefined}>
        {formatDuration(s.durationNs)}
      </Link>
    ) : (
      <span class="muted">–</span>
    );
  const pct = row.deltaNs !== undefined && row.a && row.a.durationNs > 0 ? ` (${row.deltaNs >= 0 ? '+' : '−'}${Math.abs((row.deltaNs / row.a.durationNs) * 100).toFixed(0)}%)` : '';
  return (
    <tr class={cls.join(' ')} data-depth={row.depth}>
      <td class="compare-name">
        <span class="wf-indent" style={{ width: `${row.depth * INDENT_PX}px` }} />
        <span class={`wf-service svc-text-${row.serviceIndex % SERVICE_COLOURS}`}>{row.service}</span> <span class="compare-span-name">{row.name}</span>
        {!row.a ? <span class="only-mark">only in B</span> : null}
        {!row.b ? <span class="only-mark">only in A</span> : null}
      </td>
      <td class="num compare-a">{side(row.a, props.a.traceId)}</td>
      <td class="num compare-b">{side(row.b, props.b.traceId)}</td>
      <td class="num compare-delta">{row.deltaNs === undefined ? <span class="muted">–</span> : `${deltaText(row.deltaNs)}${pct}`}</td>
    </tr>
  );
}
