import { searchTraces } from '../lib/api.ts';
import { fetchTraces } from '../lib/fetch-traces.ts';
import { formatDuration, formatPercent, formatRate, plural } from '../lib/format.ts';
import { navigate } from '../lib/router.ts';
import { resultRows } from '../lib/search-results.ts';
import { emptySearchState, stateFromParams, stateToParams, toSearchParams } from '../lib/search-state.ts';
import { buildServiceGraph, edgeQuery, graphFromGenerator, nodeQuery, type GraphEdge, type ServiceGraph } from '../lib/service-graph.ts';
import { writeResolvedRange, type TimeRangeValue } from '../lib/time-range.ts';
import { useAsync } from '../lib/use-async.ts';
import { fetchServiceGraph } from '../lib/zeroscope-api.ts';
import { ErrorBanner } from '../components/error-banner.tsx';
import { ServiceGraphSvg } from '../components/service-graph-svg.tsx';
import { TimeRangePicker } from '../components/time-range-picker.tsx';

/** Against a plain Tempo (no generator endpoint), how many traces the page reads; said on the page. */
export const SERVICE_GRAPH_TRACE_LIMIT = 200;

/** The graph from the backend's generator, or (plain Tempo) from the newest traces in the range. */
async function loadGraph(range: TimeRangeValue, signal: AbortSignal): Promise<{ graph: ServiceGraph; failed: number }> {
  const p = new URLSearchParams();
  writeResolvedRange(p, range, Date.now() / 1000);
  const fromGenerator = await fetchServiceGraph(p, { signal });
  if (fromGenerator) return { graph: graphFromGenerator(fromGenerator), failed: 0 };
  const query = { ...emptySearchState(), range: range.range, start: range.start, end: range.end, limit: SERVICE_GRAPH_TRACE_LIMIT };
  const rows = resultRows(await searchTraces(toSearchParams(query, Date.now() / 1000), { signal }));
  const { traces, failed } = await fetchTraces(
    rows.slice(0, SERVICE_GRAPH_TRACE_LIMIT).map((r) => r.traceId),
    { signal, concurrency: 4 },
  );
  return { graph: buildServiceGraph(traces), failed };
}

/** /services?range=…: who calls whom, with rate, errors and latency; a click searches the spans. */
export function ServicesPage(props: { params: URLSearchParams }) {
  const paramsKey = props.params.toString();
  const picked = stateFromParams(props.params);
  const state = useAsync((signal) => loadGraph(picked, signal), [paramsKey]);
  /** The search page for `q` over the same range. */
  const search = (q: string) => navigate(`/search?${stateToParams({ ...emptySearchState(), range: picked.range, start: picked.start, end: picked.end, q })}`);
  const openNode = (service: string) => search(nodeQuery(service));
  const openEdge = (edge: GraphEdge) => search(edgeQuery(edge));

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
        {state.status === 'done' ? <GraphNote graph={state.value.graph} /> : null}
      </div>
      {state.status === 'loading' ? <p class="loading">Loading the service graph…</p> : null}
      {state.status === 'error' ? <ErrorBanner error={state.error} context="Could not build the service graph" /> : null}
      {state.status === 'done' ? (
        <div class="services-body">
          <p class="graph-summary">
            {state.value.graph.source === 'traces' ? `${plural(state.value.graph.traces, 'trace')}, ` : ''}
            {plural(state.value.graph.nodes.length, 'service')}, {plural(state.value.graph.edges.length, 'edge')}
            {state.value.failed ? ` (${state.value.failed} traces failed to load)` : ''}
          </p>
          {state.value.graph.nodes.length === 0 ? (
            <p class="no-results">No requests in this range.</p>
          ) : (
            <div class="graph-layout">
              <ServiceGraphSvg graph={state.value.graph} onNode={openNode} onEdge={openEdge} />
              <div class="graph-tables">
                {state.value.graph.source === 'generator' ? <NodesTable graph={state.value.graph} onOpen={openNode} /> : null}
                <EdgesTable graph={state.value.graph} onOpen={openEdge} />
              </div>
            </div>
          )}
        </div>
      ) : null}
    </section>
  );
}

function GraphNote(props: { graph: ServiceGraph }) {
  return props.graph.source === 'generator' ? (
    <p class="muted graph-note">
      From the backend's metrics-generator: every request it counted in the range (the same counts as <code>/metrics</code>). A
      node's numbers are the requests the service answered (its server spans, as the RED page counts them); an edge's are the
      calls between two services. Click one to search its spans.
    </p>
  ) : (
    <p class="muted graph-note">
      Built in the browser from at most {SERVICE_GRAPH_TRACE_LIMIT} of the most recent traces in the range: a client span whose
      child is a server span of another service counts as one request.
    </p>
  );
}

function NodesTable(props: { graph: ServiceGraph; onOpen(service: string): void }) {
  return (
    <table class="edges nodes-table" aria-label="Services">
      <thead>
        <tr>
          <th scope="col">Service</th>
          <th scope="col">Requests</th>
          <th scope="col">Rate</th>
          <th scope="col">Error rate</th>
          <th scope="col">p50</th>
          <th scope="col">p95</th>
        </tr>
      </thead>
      <tbody>
        {props.graph.nodes.map((n) => (
          <tr key={n.service} data-service={n.service} class={n.stats?.errors ? 'is-error' : undefined}>
            <td>
              <button type="button" class="linkish" onClick={() => props.onOpen(n.service)}>
                {n.service || '(unknown)'}
              </button>
            </td>
            <td class="requests">{n.stats?.requests ?? '–'}</td>
            <td class="rate">{n.stats ? formatRate(n.stats.rate) : '–'}</td>
            <td class="error-rate">{n.stats ? formatPercent(n.stats.errorRate) : '–'}</td>
            <td>{formatDuration(n.stats?.p50Ns ?? Number.NaN)}</td>
            <td>{formatDuration(n.stats?.p95Ns ?? Number.NaN)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function EdgesTable(props: { graph: ServiceGraph; onOpen(edge: GraphEdge): void }) {
  const withRate = props.graph.source === 'generator';
  return (
    <table class="edges edges-table" aria-label="Calls between services">
      <thead>
        <tr>
          <th scope="col">Client</th>
          <th scope="col">Server</th>
          <th scope="col">Requests</th>
          {withRate ? <th scope="col">Rate</th> : null}
          <th scope="col">Error rate</th>
          <th scope="col">p50</th>
          <th scope="col">p95</th>
          <th scope="col">
            <span class="sr-only">Spans</span>
          </th>
        </tr>
      </thead>
      <tbody>
        {props.graph.edges.map((e) => (
          <tr key={`${e.client}\0${e.server}\0${e.connectionType}`} data-client={e.client} data-server={e.server} class={e.errors ? 'is-error' : undefined}>
            <td>{e.client}</td>
            <td>{e.server}</td>
            <td class="requests">{e.requests}</td>
            {withRate ? <td class="rate">{e.rate === undefined ? '–' : formatRate(e.rate)}</td> : null}
            <td class="error-rate">{formatPercent(e.errorRate)}</td>
            <td>{formatDuration(e.p50Ns)}</td>
            <td>{formatDuration(e.p95Ns)}</td>
            <td>
              <button type="button" class="linkish" onClick={() => props.onOpen(e)}>
                spans
              </button>
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
