import { useEffect, useState } from 'preact/hooks';
import { metricsQueryRange } from '../lib/api.ts';
import { formatUnixNanos } from '../lib/format.ts';
import { histogramBucketUnit, isSingleHistogram, metricsChartModel, metricsValueUnit } from '../lib/metrics-series.ts';
import { EXAMPLE_METRICS_QUERIES, metricsStateFromParams, metricsStateToParams, toMetricsRangeParams } from '../lib/metrics-state.ts';
import { useAsync } from '../lib/use-async.ts';
import { useUrlForm } from '../lib/use-url-form.ts';
import { ErrorBanner } from '../components/error-banner.tsx';
import { MetricsChart } from '../components/metrics-chart.tsx';
import { MetricsHeatmap } from '../components/metrics-heatmap.tsx';
import { MetricsLegend } from '../components/metrics-legend.tsx';
import { MetricsTable } from '../components/metrics-table.tsx';
import { TimeRangePicker } from '../components/time-range-picker.tsx';

const dateOf = (ms: number) => formatUnixNanos(BigInt(ms) * 1_000_000n).slice(0, 19);

/** Runs one query_range and keeps the bounds it was asked for (the chart's x range). */
async function runQuery(params: URLSearchParams, signal: AbortSignal) {
  const body = await metricsQueryRange(params, { signal });
  return { model: metricsChartModel(body), startMs: Number(params.get('start')) * 1000, endMs: Number(params.get('end')) * 1000 };
}

/**
 * `/traceql-metrics?q=&range=&step=`: a TraceQL metrics query (rate, quantiles, histograms… by labels)
 * drawn over time from Tempo's `/api/metrics/query_range`, with a legend, exemplar dots that open
 * their trace and a table of every value.
 */
export function MetricsPage(props: { params: URLSearchParams }) {
  const { applied, draft, setDraft, set, submit, runKey } = useUrlForm(props.params, '/traceql-metrics', metricsStateFromParams, metricsStateToParams);
  const result = useAsync((signal) => runQuery(toMetricsRangeParams(applied, Date.now() / 1000), signal), [runKey]);
  const [hidden, setHidden] = useState<ReadonlySet<number>>(new Set());
  // A histogram of one group reads best as a heatmap; its buckets can also be drawn as lines.
  const [histogramLines, setHistogramLines] = useState(false);
  useEffect(() => setHidden(new Set()), [runKey]);
  const unit = metricsValueUnit(applied.q);
  const bucketUnit = histogramBucketUnit(applied.q);
  const heatmap = result.status === 'done' && isSingleHistogram(result.value.model);
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
            <input type="text" name="step" size={6} placeholder="auto" value={draft.step} onInput={(e) => set({ step: e.currentTarget.value.trim() })} />
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
      {result.status === 'done' && result.value.model.partial ? <p class="metrics-partial warning">Partial answer: {result.value.model.partial}</p> : null}
      {result.status === 'done' && result.value.model.series.length === 0 ? (
        <p class="no-results">
          No series: no spans matched <code>{applied.q}</code> between {dateOf(result.value.startMs)} and {dateOf(result.value.endMs)}.
        </p>
      ) : null}
      {result.status === 'done' && result.value.model.series.length > 0 ? (
        <>
          <p class="muted metrics-summary">
            {result.value.model.series.length === 1 ? '1 series' : `${result.value.model.series.length} series`}
            {result.value.model.histogram ? ', one per histogram bucket (`__bucket`, the upper bound)' : ''}; dots are exemplars: click one to open its trace.
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
            <MetricsHeatmap model={result.value.model} bucketUnit={bucketUnit} startMs={result.value.startMs} endMs={result.value.endMs} />
          ) : (
            <>
              <MetricsChart model={result.value.model} hidden={hidden} unit={unit} bucketUnit={bucketUnit} startMs={result.value.startMs} endMs={result.value.endMs} />
              <MetricsLegend series={result.value.model.series} hidden={hidden} unit={unit} onToggle={toggle} />
            </>
          )}
          <details class="metrics-values">
            <summary>Values (table)</summary>
            <MetricsTable series={result.value.model.series} unit={unit} />
          </details>
        </>
      ) : null}
    </section>
  );
}
