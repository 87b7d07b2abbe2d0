import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { ApiStatusError } from '../errors.ts';
import { fetchTrace } from '../lib/api.ts';
import { criticalPath } from '../lib/critical-path.ts';
import { formatDuration, formatUnixNanos, plural } from '../lib/format.ts';
import { navigate, traceHref, traceViewHref, type TraceViewName } from '../lib/router.ts';
import { buildTrace, matchingSpans, prepareSearch, visibleSpans, type UiTrace } from '../lib/trace-model.ts';
import { useAsync, type AsyncState } from '../lib/use-async.ts';
import { fetchTraceLogs, type UiLogRecord } from '../lib/zeroscope-api.ts';
import { CopyButton } from '../components/copy-button.tsx';
import { ErrorBanner } from '../components/error-banner.tsx';
import { LogList } from '../components/log-list.tsx';
import { ServiceLegend } from '../components/service-legend.tsx';
import { SpanDetails } from '../components/span-details.tsx';
import { FlameGraph } from '../components/flame-graph.tsx';
import { TraceCompare } from '../components/trace-compare.tsx';
import { TraceJsonView } from '../components/trace-json-view.tsx';
import { TraceMinimap } from '../components/trace-minimap.tsx';
import { TraceStatsTable } from '../components/trace-stats-table.tsx';
import { Waterfall } from '../components/waterfall.tsx';

const VIEW_LABELS: Record<TraceViewName, string> = {
  timeline: 'Timeline',
  flame: 'Flame graph',
  stats: 'Statistics',
  json: 'JSON',
  compare: 'Compare',
};

interface TracePageProps {
  traceId: string;
  spanId?: string;
  view: TraceViewName;
  compare?: string;
}

/**
 * /trace/<id>[?span=&view=&compare=]: one trace as a timeline (waterfall, minimap, span details,
 * logs), a flame graph, statistics, its JSON, or compared with another trace.
 */
export function TracePage(props: TracePageProps) {
  const state = useAsync(async (signal) => buildTrace(await fetchTrace(props.traceId, { signal }), props.traceId), [props.traceId]);
  if (state.status === 'loading') return <p class="loading">Loading trace {props.traceId}…</p>;
  if (state.status === 'error') {
    const notFound = state.error instanceof ApiStatusError && state.error.status === 404;
    return (
      <section class="page trace-page">
        <h1 class="mono">{props.traceId}</h1>
        {notFound ? <p class="error-banner" role="alert">Trace not found.</p> : <ErrorBanner error={state.error} context="Could not load trace" />}
      </section>
    );
  }
  if (state.value.spans.length === 0) {
    return (
      <section class="page trace-page">
        <h1 class="mono">{props.traceId}</h1>
        <p class="error-banner" role="alert">This trace has no spans.</p>
      </section>
    );
  }
  return <TraceView trace={state.value} selectedId={props.spanId} view={props.view} compare={props.compare} />;
}

/** Keys typed into these are text, not commands. */
const isTyping = (el: EventTarget | null) => el instanceof HTMLElement && el.closest('input, textarea, select, [contenteditable="true"]') !== null;

function TraceView(props: { trace: UiTrace; selectedId: string | undefined; view: TraceViewName; compare: string | undefined }) {
  const { trace, view } = props;
  const searchRef = useRef<HTMLInputElement>(null);
  const bodyRef = useRef<HTMLDivElement>(null);
  const [cursor, setCursor] = useState<string | undefined>(props.selectedId);
  const [collapsed, setCollapsed] = useState<ReadonlySet<string>>(new Set());
  const [query, setQuery] = useState('');
  const [showCritical, setShowCritical] = useState(false);
  const rows = useMemo(() => visibleSpans(trace, collapsed), [trace, collapsed]);
  const matches = useMemo(() => matchingSpans(trace, query), [trace, query]);
  const critical = useMemo(() => (showCritical ? criticalPath(trace) : undefined), [trace, showCritical]);
  const selected = props.selectedId ? trace.byId.get(props.selectedId) : undefined;
  const root = trace.roots[0];
  // zeroscope's backend keeps the trace's logs; against a plain Tempo this answers undefined (404).
  const logs = useAsync((signal) => fetchTraceLogs(trace.traceId, { signal }), [trace.traceId]);
  const spanLogs = useMemo(
    () => (logs.status === 'done' && logs.value && selected ? logs.value.filter((l) => l.spanId === selected.spanId) : undefined),
    [logs, selected],
  );
  const knownSpans = useMemo(() => new Set(trace.byId.keys()), [trace]);

  const toggle = (spanId: string) => {
    const next = new Set(collapsed);
    if (next.has(spanId)) next.delete(spanId);
    else next.add(spanId);
    setCollapsed(next);
  };
  // Selecting a span hidden in a collapsed subtree opens its ancestors first.
  const select = (spanId: string | undefined) => {
    if (spanId) {
      let p = trace.byId.get(spanId)?.parent;
      let next: Set<string> | undefined;
      while (p) {
        if (collapsed.has(p.spanId)) (next ??= new Set(collapsed)).delete(p.spanId);
        p = p.parent;
      }
      if (next) setCollapsed(next);
    }
    navigate(traceHref(trace.traceId, spanId), { replace: true });
  };
  useEffect(() => {
    if (props.selectedId) setCursor(props.selectedId);
  }, [props.selectedId]);
  useEffect(() => prepareSearch(trace), [trace]);

  // Keyboard: / finds, arrows move the row, Enter opens its details, Esc closes them. One listener
  // per view reads the latest state through a ref: a listener re-added after each render (effects
  // run after paint) would act on a stale cursor when keys come faster than frames.
  const keys = useRef({ cursor, rows, collapsed, selectedId: props.selectedId, select, toggle, setCursor });
  keys.current = { cursor, rows, collapsed, selectedId: props.selectedId, select, toggle, setCursor };
  useEffect(() => {
    if (view !== 'timeline') return;
    const onKey = (e: KeyboardEvent) => {
      if (e.defaultPrevented || e.ctrlKey || e.metaKey || e.altKey) return;
      const k = keys.current;
      const typing = isTyping(e.target);
      if (e.key === 'Escape') {
        if (typing && e.target === searchRef.current) searchRef.current?.blur();
        else if (k.selectedId) {
          k.selectedId = undefined;
          k.select(undefined);
        }
        return;
      }
      if (typing) return;
      if (e.key === '/') {
        e.preventDefault();
        searchRef.current?.focus();
        searchRef.current?.select();
        return;
      }
      const at = k.cursor ? k.rows.findIndex((r) => r.spanId === k.cursor) : -1;
      if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
        e.preventDefault();
        const next = k.rows[Math.max(0, Math.min(k.rows.length - 1, at < 0 ? 0 : at + (e.key === 'ArrowDown' ? 1 : -1)))];
        if (!next) return;
        // Updated now, not at the next render, so a quick second key moves on from here.
        k.cursor = next.spanId;
        k.setCursor(next.spanId);
        // With the details open they follow the row.
        if (k.selectedId) {
          k.selectedId = next.spanId;
          k.select(next.spanId);
        }
      } else if ((e.key === 'ArrowRight' || e.key === 'ArrowLeft') && at >= 0) {
        const span = k.rows[at];
        const isCollapsed = k.collapsed.has(span.spanId);
        if (span.children.length && isCollapsed === (e.key === 'ArrowRight')) {
          e.preventDefault();
          k.toggle(span.spanId);
        } else if (e.key === 'ArrowLeft' && span.parent) {
          e.preventDefault();
          k.cursor = span.parent.spanId;
          k.setCursor(span.parent.spanId);
        }
      } else if (e.key === 'Enter' && k.cursor && !(e.target instanceof HTMLButtonElement || e.target instanceof HTMLAnchorElement)) {
        e.preventDefault();
        k.selectedId = k.cursor;
        k.select(k.cursor);
      }
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, [view]);

  return (
    <section class="page trace-page">
      <header class="trace-head">
        <h1>
          <span class="trace-root-service">{root?.serviceName}</span> <span class="trace-root-name">{root?.name}</span>
        </h1>
        <div class="trace-meta">
          <span>
            Trace <code class="trace-id">{trace.traceId}</code> <CopyButton text={trace.traceId} label="Copy id" />
          </span>
          <span>{formatUnixNanos(trace.startUnixNano)}</span>
          <span>Duration {formatDuration(trace.durationNs)}</span>
          <span class="span-count">{plural(trace.spans.length, 'span')}</span>
          <span>{plural(trace.services.length, 'service')}</span>
          {trace.errorCount ? <span class="error-count">{plural(trace.errorCount, 'error')}</span> : null}
        </div>
      </header>
      <nav class="trace-views" aria-label="Trace views">
        {(Object.keys(VIEW_LABELS) as TraceViewName[]).map((v) => (
          <a
            key={v}
            href={traceViewHref(trace.traceId, v, props.compare, v === 'timeline' ? props.selectedId : undefined)}
            class={v === view ? 'trace-view-tab active' : 'trace-view-tab'}
            aria-current={v === view ? 'page' : undefined}
            data-view={v}
            onClick={(e) => {
              e.preventDefault();
              navigate(e.currentTarget.getAttribute('href')!, { replace: true });
            }}
          >
            {VIEW_LABELS[v]}
          </a>
        ))}
      </nav>
      {view === 'timeline' ? (
        <>
          <div class="trace-tools">
            <input
              ref={searchRef}
              type="search"
              class="span-search"
              aria-label="Find spans"
              placeholder="Find spans (name, service, attribute)"
              title="Press / to find spans; ↑ ↓ move, Enter opens a span, Esc closes it"
              value={query}
              onInput={(e) => setQuery(e.currentTarget.value)}
            />
            {query.trim() ? <span class="match-count">{matches.size} matching</span> : null}
            <label class="toggle">
              <input type="checkbox" name="critical" checked={showCritical} onChange={(e) => setShowCritical(e.currentTarget.checked)} />
              Critical path
            </label>
            {showCritical ? (
              <span class="critical-key" title="The chain of work that decided the trace's duration (Jaeger's algorithm)">
                <span class="critical-swatch" aria-hidden="true" /> on the critical path
              </span>
            ) : null}
            <button type="button" onClick={() => setCollapsed(new Set())}>
              Expand all
            </button>
            <ServiceLegend services={trace.services} />
          </div>
          <TraceMinimap trace={trace} rows={rows} body={bodyRef} />
          <div class={selected ? 'trace-body has-details' : 'trace-body'}>
            <Waterfall
              trace={trace}
              rows={rows}
              bodyRef={bodyRef}
              cursorId={cursor}
              collapsed={collapsed}
              selectedId={selected?.spanId}
              matches={matches}
              critical={critical}
              onToggle={toggle}
              onSelect={(id) => {
                setCursor(id);
                select(id);
              }}
            />
            {selected ? <SpanDetails span={selected} trace={trace} logs={spanLogs} onClose={() => select(undefined)} onSelect={select} /> : null}
          </div>
          <TraceLogs state={logs} onSelectSpan={select} knownSpans={knownSpans} />
        </>
      ) : null}
      {view === 'flame' ? <FlameGraph trace={trace} /> : null}
      {view === 'stats' ? <TraceStatsTable trace={trace} /> : null}
      {view === 'json' ? <TraceJsonView traceId={trace.traceId} /> : null}
      {view === 'compare' ? <TraceCompare trace={trace} compare={props.compare} /> : null}
    </section>
  );
}

/** The trace's logs under the waterfall, oldest first; hidden where the backend keeps no logs. */
function TraceLogs(props: { state: AsyncState<UiLogRecord[] | undefined>; onSelectSpan(spanId: string): void; knownSpans: ReadonlySet<string> }) {
  const { state } = props;
  if (state.status === 'done' && state.value === undefined) return null;
  return (
    <section class="trace-logs" aria-label="Trace logs">
      <h2>Logs{state.status === 'done' && state.value ? ` (${state.value.length})` : ''}</h2>
      {state.status === 'loading' ? <p class="loading">Loading logs…</p> : null}
      {state.status === 'error' ? <ErrorBanner error={state.error} context="Could not load logs" /> : null}
      {state.status === 'done' && state.value ? (
        <LogList logs={state.value} label="Logs of this trace" onSelectSpan={props.onSelectSpan} knownSpans={props.knownSpans} empty="No logs carry this trace id." />
      ) : null}
    </section>
  );
}
