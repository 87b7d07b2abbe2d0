import { searchTraces } from '../lib/api.ts';
import { fetchTraces } from '../lib/fetch-traces.ts';
import { formatDuration, plural } from '../lib/format.ts';
import { navigate } from '../lib/router.ts';
import { resultRows } from '../lib/search-results.ts';
import { emptySearchState, stateFromParams, toSearchParams } from '../lib/search-state.ts';
import { buildServiceGraph } from '../lib/service-graph.ts';
import { useAsync } from '../lib/use-async.ts';
import { ErrorBanner } from '../components/error-banner.tsx';
import { ServiceGraphSvg } from '../components/service-graph-svg.tsx';
import { TimeRangePicker } from '../components/time-range-picker.tsx';

/** How many traces the page fetches to draw the graph; said on the page. */
export const SERVICE_GRAPH_TRACE_LIMIT = 200;

/** /services?range=…: who calls whom, computed in the browser from recent traces. */
export function ServicesPage(props: { params: URLSearchParams }) {
  const paramsKey = props.params.toString();
  const picked = stateFromParams(props.params);
  const state = useAsync(
    async (signal) => {
      const query = { ...emptySearchState(), range: picked.range, start: picked.start, end: picked.end, limit: SERVICE_GRAPH_TRACE_LIMIT };
      const rows = resultRows(await searchTraces(toSearchParams(query, Date.now() / 1000), { signal }));
      const { traces, failed } = await fetchTraces(
        rows.slice(0, SERVICE_GRAPH_TRACE_LIMIT).map((r) => r.traceId),
        { signal, concurrency: 4 },
      );
      return { graph: buildServiceGraph(traces), failed };
    },
    [paramsKey],
  );

  return (
    <section class="page services-page">
      <h1>Services</h1>
      <div class="services-controls">
        <TimeRangePicker
          value={picked}
          onChange={(v) => {
            const p = new URLSearchParams();
            if (v.range !== '1h') p.set('range', v.range);
            if (v.range === 'custom' && v.start !== undefined) p.set('start', String(v.start));
            if (v.range === 'custom' && v.end !== undefined) p.set('end', String(v.end));
            navigate(p.size ? `/services?${p}` : '/services');
          }}
        />
        <p class="muted graph-note">
          Built in the browser from at most {SERVICE_GRAPH_TRACE_LIMIT} of the most recent traces in the range: a client span whose
          child is a server span of another service counts as one request.
        </p>
      </div>
      {state.status === 'loading' ? <p class="loading">Loading traces…</p> : null}
      {state.status === 'error' ? <ErrorBanner error={state.error} context="Could not build the service graph" /> : null}
      {state.status === 'done' ? (
        <div class="services-body">
          <p class="graph-summary">
            {plural(state.value.graph.traces, 'trace')}, {plural(state.value.graph.nodes.length, 'service')}, {plural(state.value.graph.edges.length, 'edge')}
            {state.value.failed ? ` (${state.value.failed} traces failed to load)` : ''}
          </p>
          {state.value.graph.nodes.length === 0 ? (
            <p class="no-results">No traces in this range.</p>
          ) : (
            <div class="graph-layout">
              <ServiceGraphSvg graph={state.value.graph} />
              <table class="edges">
                <thead>
                  <tr>
                    <th scope="col">Client</th>
                    <th scope="col">Server</th>
                    <th scope="col">Requests</th>
                    <th scope="col">Error rate</th>
                    <th scope="col">p50</th>
                    <th scope="col">p95</th>
                  </tr>
                </thead>
                <tbody>
                  {state.value.graph.edges.map((e) => (
                    <tr key={`${e.client}\0${e.server}`} class={e.errors ? 'is-error' : undefined}>
                      <td>{e.client}</td>
                      <td>{e.server}</td>
                      <td>{e.requests}</td>
                      <td>{(e.errorRate * 100).toFixed(1)}%</td>
                      <td>{formatDuration(e.p50Ns)}</td>
                      <td>{formatDuration(e.p95Ns)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </div>
      ) : null}
    </section>
  );
}
