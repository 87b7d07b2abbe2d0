import { fetchTagValues } from '../lib/api.ts';
import { logsStateFromParams, logsStateToParams, toLogSearchParams } from '../lib/logs-state.ts';
import { useAsync } from '../lib/use-async.ts';
import { useUrlForm } from '../lib/use-url-form.ts';
import { LOG_LEVELS, searchLogs, type LogLevel } from '../lib/zeroscope-api.ts';
import { ErrorBanner } from '../components/error-banner.tsx';
import { LogList } from '../components/log-list.tsx';
import { SelectField } from '../components/select-field.tsx';
import { TimeRangePicker } from '../components/time-range-picker.tsx';

/** `/logs?…`: search stored log records by service, level, text and time; the form lives in the URL. */
export function LogsPage(props: { params: URLSearchParams }) {
  const { applied, draft, setDraft, set, submit, runKey } = useUrlForm(props.params, '/logs', logsStateFromParams, logsStateToParams);

  // Services known from traces; a service that only logs can still be typed into the URL.
  const services = useAsync((signal) => fetchTagValues('resource.service.name', {}, { signal }), []);
  const serviceOptions = services.status === 'done' ? services.value : [];
  const results = useAsync((signal) => searchLogs(toLogSearchParams(applied, Date.now() / 1000), { signal }), [runKey]);

  return (
    <section class="page logs-page">
      <h1>Logs</h1>
      <form class="search-form" onSubmit={submit}>
        <div class="form-line">
          <SelectField label="Service" name="service" value={draft.service} options={serviceOptions} anyLabel="(any)" onChange={(service) => set({ service })} />
          <SelectField label="Level" name="level" value={draft.level} options={LOG_LEVELS} anyLabel="(any)" onChange={(level) => set({ level: level as LogLevel | '' })} />
          <label>
            Text{' '}
            <input type="search" name="q" size={28} placeholder="in the message or key=value" value={draft.q} onInput={(e) => set({ q: e.currentTarget.value })} />
          </label>
          <TimeRangePicker value={draft} onChange={(v) => setDraft({ ...draft, range: v.range, start: v.start, end: v.end })} />
          <label>
            Limit{' '}
            <input type="number" name="limit" min={1} max={5000} value={draft.limit} onInput={(e) => set({ limit: Number(e.currentTarget.value) || 100 })} />
          </label>
          <button type="submit" class="primary">
            Search
          </button>
        </div>
      </form>
      {results.status === 'loading' ? <p class="loading">Searching…</p> : null}
      {results.status === 'error' ? <ErrorBanner error={results.error} context="Log search failed" /> : null}
      {results.status === 'done' ? (
        <>
          <p class="muted result-count">
            {results.value.logs.length} records{results.value.truncated ? ' (the scan stopped early: narrow the search)' : ''}
          </p>
          <LogList logs={results.value.logs} label="Log records" empty="No log records match." />
        </>
      ) : null}
    </section>
  );
}
