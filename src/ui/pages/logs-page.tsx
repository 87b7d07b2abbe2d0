import { useEffect, useMemo, useState } from 'preact/hooks';
import { fetchTagValues } from '../lib/api.ts';
import { logsStateFromParams, logsStateToParams, toLogSearchParams, type LogsState } from '../lib/logs-state.ts';
import { navigate } from '../lib/router.ts';
import { useAsync } from '../lib/use-async.ts';
import { LOG_LEVELS, searchLogs, type LogLevel } from '../lib/zeroscope-api.ts';
import { ErrorBanner } from '../components/error-banner.tsx';
import { LogList } from '../components/log-list.tsx';
import { TimeRangePicker } from '../components/time-range-picker.tsx';

/** `/logs?…`: search stored log records by service, level, text and time; the form lives in the URL. */
export function LogsPage(props: { params: URLSearchParams }) {
  const paramsKey = props.params.toString();
  const applied = useMemo(() => logsStateFromParams(props.params), [paramsKey]);
  const [draft, setDraft] = useState<LogsState>(applied);
  const [runId, setRunId] = useState(0);
  useEffect(() => setDraft(applied), [applied]);

  // Services known from traces; a service that only logs can still be typed into the URL.
  const services = useAsync((signal) => fetchTagValues('resource.service.name', {}, { signal }), []);
  const serviceOptions = services.status === 'done' ? services.value : [];
  const results = useAsync((signal) => searchLogs(toLogSearchParams(applied, Date.now() / 1000), { signal }), [paramsKey, runId]);

  const set = (patch: Partial<LogsState>) => setDraft({ ...draft, ...patch });
  const submit = (e: Event) => {
    e.preventDefault();
    const qs = logsStateToParams(draft).toString();
    if (qs === paramsKey) setRunId(runId + 1);
    else navigate(qs ? `/logs?${qs}` : '/logs');
  };

  return (
    <section class="page logs-page">
      <h1>Logs</h1>
      <form class="search-form" onSubmit={submit}>
        <div class="form-line">
          <label>
            Service{' '}
            <select name="service" value={draft.service} onChange={(e) => set({ service: e.currentTarget.value })}>
              <option value="">(any)</option>
              {(draft.service && !serviceOptions.includes(draft.service) ? [draft.service, ...serviceOptions] : serviceOptions).map((s) => (
                <option key={s} value={s}>
                  {s}
                </option>
              ))}
            </select>
          </label>
          <label>
            Level{' '}
            <select name="level" value={draft.level} onChange={(e) => set({ level: e.currentTarget.value as LogLevel | '' })}>
              <option value="">(any)</option>
              {LOG_LEVELS.map((l) => (
                <option key={l} value={l}>
                  {l}
                </option>
              ))}
            </select>
          </label>
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
