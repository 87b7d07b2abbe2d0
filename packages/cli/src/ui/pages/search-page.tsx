import { fetchTagNames, fetchTagValues, searchTraces } from '../lib/api.ts';
import { resultRows } from '../lib/search-results.ts';
import { effectiveTraceQL, pickersToTraceQL, stateFromParams, stateToParams, toSearchParams } from '../lib/search-state.ts';
import { useAsync } from '../lib/use-async.ts';
import { useUrlForm } from '../lib/use-url-form.ts';
import { ErrorBanner } from '../components/error-banner.tsx';
import { FilterRows } from '../components/filter-rows.tsx';
import { ResultsScatter } from '../components/results-scatter.tsx';
import { ResultsTable } from '../components/results-table.tsx';
import { SelectField } from '../components/select-field.tsx';
import { TimeRangePicker } from '../components/time-range-picker.tsx';

/** A select with thousands of options helps nobody; typed TraceQL covers the rest. */
const MAX_PICKER_VALUES = 500;

/** Tag values for a picker; an API failure leaves the list empty (the search itself still works). */
function useTagValues(tag: string, q: string | undefined, deps: unknown[]): string[] {
  const state = useAsync((signal) => fetchTagValues(tag, { q }, { signal }), deps);
  return state.status === 'done' ? state.value.slice(0, MAX_PICKER_VALUES) : [];
}

/** `/` and `/search?…`: the search form (all of it in the URL) and the results table. */
export function SearchPage(props: { params: URLSearchParams }) {
  const { applied, draft, setDraft, set, submit, runKey } = useUrlForm(props.params, '/search', stateFromParams, stateToParams);

  const services = useTagValues('resource.service.name', undefined, []);
  const spanNames = useTagValues('name', draft.service ? pickersToTraceQL({ ...draft, spanName: '', filters: [] }) : undefined, [draft.service]);
  const tagNames = useAsync((signal) => fetchTagNames({ signal }), []);
  const attrKeys = tagNames.status === 'done' ? [...(tagNames.value.span ?? []), ...(tagNames.value.resource ?? []).map((k) => `resource.${k}`)] : [];

  const results = useAsync(
    (signal) => searchTraces(toSearchParams(applied, Date.now() / 1000), { signal }).then(resultRows),
    [runKey],
  );

  return (
    <section class="page search-page">
      <h1>Search traces</h1>
      <form class="search-form" onSubmit={submit}>
        <div class="form-line">
          <SelectField label="Service" name="service" value={draft.service} options={services} anyLabel="(any)" onChange={(service) => set({ service })} />
          <SelectField label="Span name" name="spanName" value={draft.spanName} options={spanNames} anyLabel="(any)" onChange={(spanName) => set({ spanName })} />
          <label>
            Min duration{' '}
            <input type="text" name="minDuration" size={7} placeholder="100ms" value={draft.minDuration} onInput={(e) => set({ minDuration: e.currentTarget.value.trim() })} />
          </label>
          <label>
            Max duration{' '}
            <input type="text" name="maxDuration" size={7} placeholder="5s" value={draft.maxDuration} onInput={(e) => set({ maxDuration: e.currentTarget.value.trim() })} />
          </label>
          <TimeRangePicker value={draft} onChange={(v) => setDraft({ ...draft, range: v.range, start: v.start, end: v.end })} />
          <label>
            Limit{' '}
            <input type="number" name="limit" min={1} max={1000} value={draft.limit} onInput={(e) => set({ limit: Number(e.currentTarget.value) || 20 })} />
          </label>
        </div>
        <FilterRows filters={draft.filters} keys={attrKeys} onChange={(filters) => set({ filters })} />
        <label class="traceql">
          TraceQL <span class="muted">(typing here overrides the pickers)</span>
          <textarea name="q" rows={2} spellcheck={false} placeholder={pickersToTraceQL(draft)} value={draft.q} onInput={(e) => set({ q: e.currentTarget.value })} />
        </label>
        <div class="form-actions">
          <button type="submit" class="primary">
            Search
          </button>
          <span class="muted">
            Query: <code class="effective-query">{effectiveTraceQL(draft)}</code>
          </span>
        </div>
      </form>
      {results.status === 'loading' ? <p class="loading">Searching…</p> : null}
      {results.status === 'error' ? <ErrorBanner error={results.error} context="Search failed" /> : null}
      {results.status === 'done' ? (
        <>
          <ResultsScatter rows={results.value} />
          <ResultsTable rows={results.value} />
        </>
      ) : null}
    </section>
  );
}
