import { useMemo, useState } from 'preact/hooks';
import { ApiStatusError } from '../errors.ts';
import { fetchTrace } from '../lib/api.ts';
import { criticalPath } from '../lib/critical-path.ts';
import { formatDuration, formatUnixNanos, plural } from '../lib/format.ts';
import { navigate, traceHref } from '../lib/router.ts';
import { buildTrace, matchingSpans, visibleSpans, type UiTrace } from '../lib/trace-model.ts';
import { useAsync, type AsyncState } from '../lib/use-async.ts';
import { fetchTraceLogs, type UiLogRecord } from '../lib/zeroscope-api.ts';
import { CopyButton } from '../components/copy-button.tsx';
import { ErrorBanner } from '../components/error-banner.tsx';
import { LogList } from '../components/log-list.tsx';
import { ServiceLegend } from '../components/service-legend.tsx';
import { SpanDetails } from '../components/span-details.tsx';
import { Waterfall } from '../components/waterfall.tsx';

/** /trace/<id>[?span=<id>]: the waterfall of one trace with span details. */
export function TracePage(props: { traceId: string; spanId?: string }) {
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
  return <TraceView trace={state.value} selectedId={props.spanId} />;
}

function TraceView(props: { trace: UiTrace; selectedId: string | undefined }) {
  const { trace } = props;
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
      <div class="trace-tools">
        <input
          type="search"
          class="span-search"
          aria-label="Find spans"
          placeholder="Find spans (name, service, attribute)"
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
      <div class={selected ? 'trace-body has-details' : 'trace-body'}>
        <Waterfall
          trace={trace}
          rows={rows}
          collapsed={collapsed}
          selectedId={selected?.spanId}
          matches={matches}
          critical={critical}
          onToggle={toggle}
          onSelect={select}
        />
        {selected ? <SpanDetails span={selected} trace={trace} logs={spanLogs} onClose={() => select(undefined)} onSelect={select} /> : null}
      </div>
      <TraceLogs state={logs} onSelectSpan={select} knownSpans={knownSpans} />
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
