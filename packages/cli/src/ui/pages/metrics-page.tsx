import { useEffect, useState } from 'preact/hooks';
import { metricsQueryInstant, metricsQueryRange } from '../lib/api.ts';
import { formatUnixNanos } from '../lib/format.ts';
import { histogramBucketUnit, instantValues, isSingleHistogram, metricsChartModel, metricsValueUnit, type InstantValue, type MetricsChartModel } from '../lib/metrics-series.ts';
import { EXAMPLE_METRICS_QUERIES, metricsStateFromParams, metricsStateToParams, toMetricsInstantParams, toMetricsRangeParams, type MetricsState } from '../lib/metrics-state.ts';
import { useAsync } from '../lib/use-async.ts';
import { useUrlForm } from '../lib/use-url-form.ts';
import { ErrorBanner } from '../components/error-banner.tsx';
import { MetricsChart } from '../components/metrics-chart.tsx';
import { MetricsHeatmap } from '../components/metrics-heatmap.tsx';
import { MetricsInstant } from '../components/metrics-instant.tsx';
import { MetricsLegend } from '../components/metrics-legend.tsx';
import { MetricsTable } from '../components/metrics-table.tsx';
import { TimeRangePicker } from '../components/time-range-picker.tsx';

const dateOf = (ms: number) => formatUnixNanos(BigInt(ms) * 1_000_000n).slice(0, 19);

/** An answer and the bounds it was asked for (the chart's x range). */
type Answer =
  | { kind: 'range'; model: MetricsChartModel; startMs: number; endMs: number }
  | { kind: 'instant'; values: InstantValue[]; partial?: string; startMs: number; endMs: number };

/** Runs the form's query: query_range, or the instant query for one value per series. */
async function runQuery(state: MetricsState, signal: AbortSignal): Promise<Answer> {
  const now = Date.now() / 1000;
  const params = state.instant ? toMetricsInstantParams(state, now) : toMetricsRangeParams(state, now);
  const bounds = { startMs: Number(params.get('start')) * 1000, endMs: Number(params.get('end')) * 1000 };
  if (state.instant) return { kind: 'instant', ...instantValues(await metricsQueryInstant(params, { signal })), ...bounds };
  return { kind: 'range', model: metricsChartModel(await metricsQueryRange(params, { signal })), ...bounds };
}

/**
 * `/traceql-metrics?q=&range=&step=&instant=1`: a TraceQL metrics query (rate, quantiles,
 * histograms… by labels) drawn over time from Tempo's `/api/metrics/query_range`, with a legend,
 * exemplar dots that open their trace and a table of every value; or, instant, one value per
 * series for the whole range from `/api/metrics/query`.
 */
export function MetricsPage(props: { params: URLSearchParams }) {
  const { applied, draft, setDraft, set, submit, runKey } = useUrlForm(props.params, '/traceql-metrics', metricsStateFromParams, metricsStateToParams);
  const result = useAsync((signal) => runQuery(applied, signal), [runKey]);
  const [hidden, setHidden] = useState<ReadonlySet<number>>(new Set());
  // A histogram of one group reads best as a heatmap; its buckets can also be drawn as lines.
  const [histogramLines, setHistogramLines] = useState(false);
  useEffect(() => setHidden(new Set()), [runKey]);
  const unit = metricsValueUnit(applied.q);
  const bucketUnit = histogramBucketUnit(applied.q);
  const answer = result.status === 'done' ? result.value : undefined;
  const model = answer?.kind === 'range' ? answer.model : undefined;
  const heatmap = model !== undefined && isSingleHistogram(model);
  const partial = answer?.kind === 'range' ? answer.model.partial : answer?.partial;
  const count = answer?.kind === 'range' ? answer.model.series.length : answer?.values.length;
  const toggle = (i: number) => {
    const next = new Set(hidden);
    if (!next.delete(i)) next.add(i);
    setHidden(next);
  };

  return (
    <section class="page metrics-page">
      <h1>TraceQL metrics</h1>
      <form class="search-form metrics-form" onSubmit={submit}>
        <label class="traceql">
          Query <span class="muted">(TraceQL metrics; Ctrl+Enter runs it)</span>
          <textarea
            name="q"
            rows={2}
            spellcheck={false}
            value={draft.q}
            onInput={(e) => set({ q: e.currentTarget.value })}
            onKeyDown={(e) => {
              if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) e.currentTarget.form?.requestSubmit();
            }}
          />
        </label>
        <div class="form-line">
          <TimeRangePicker value={draft} onChange={(v) => setDraft({ ...draft, range: v.range, start: v.start, end: v.end })} />
          <label>
            Step{' '}
            <input type="text" name="step" size={6} placeholder="auto" disabled={draft.instant} value={draft.step} onInput={(e) => set({ step: e.currentTarget.value.trim() })} />
          </label>
          <label class="instant-toggle" title="One value per series for the whole range (/api/metrics/query)">
            <input type="checkbox" name="instant" checked={draft.instant} onChange={(e) => set({ instant: e.currentTarget.checked })} /> Instant
          </label>
          <button type="submit" class="primary">
            Run query
          </button>
        </div>
        <div class="metrics-examples muted">
          Examples:{' '}
          {EXAMPLE_METRICS_QUERIES.map((q) => (
            <button key={q} type="button" class="linkish example-query" onClick={() => set({ q })}>
              {q}
            </button>
          ))}
        </div>
      </form>
      {result.status === 'loading' ? <p class="loading">Running the query…</p> : null}
      {result.status === 'error' ? <ErrorBanner error={result.error} context="Query failed" /> : null}
      {partial ? <p class="metrics-partial warning">Partial answer: {partial}</p> : null}
      {answer && count === 0 ? (
        <p class="no-results">
          No series: no spans matched <code>{applied.q}</code> between {dateOf(answer.startMs)} and {dateOf(answer.endMs)}.
        </p>
      ) : null}
      {answer?.kind === 'instant' && count ? <MetricsInstant values={answer.values} unit={unit} /> : null}
      {answer?.kind === 'range' && model && count ? (
        <>
          <p class="muted metrics-summary">
            {count === 1 ? '1 series' : `${count} series`}
            {model.histogram ? ', one per histogram bucket (__bucket, its upper bound)' : ''}; dots are exemplars: click one to open its trace.
            {heatmap ? (
              <span class="metrics-view-switch" role="group" aria-label="Histogram view">
                <button type="button" class="view-heatmap" aria-pressed={!histogramLines} onClick={() => setHistogramLines(false)}>
                  Heatmap
                </button>
                <button type="button" class="view-lines" aria-pressed={histogramLines} onClick={() => setHistogramLines(true)}>
                  Lines
                </button>
              </span>
            ) : null}
          </p>
          {heatmap && !histogramLines ? (
            <MetricsHeatmap model={model} bucketUnit={bucketUnit} startMs={answer.startMs} endMs={answer.endMs} />
          ) : (
            <>
              <MetricsChart model={model} hidden={hidden} unit={unit} bucketUnit={bucketUnit} startMs={answer.startMs} endMs={answer.endMs} />
              <MetricsLegend series={model.series} hidden={hidden} unit={unit} onToggle={toggle} />
            </>
          )}
          <details class="metrics-values">
            <summary>Values (table)</summary>
            <MetricsTable series={model.series} unit={unit} />
          </details>
        </>
      ) : null}
    </section>
  );
}
