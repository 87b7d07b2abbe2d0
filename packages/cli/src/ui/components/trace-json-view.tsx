import { useMemo, useState } from 'preact/hooks';
import { fetchTraceJson } from '../lib/api.ts';
import { plural } from '../lib/format.ts';
import { traceJsonFileName, traceJsonText, type JsonShape } from '../lib/trace-json.ts';
import type { TraceByIdResponse } from '../lib/tempo-types.ts';
import { useAsync } from '../lib/use-async.ts';
import { ErrorBanner } from './error-banner.tsx';

/** More than this many characters are left out of the page (the download has everything). */
const SHOWN_CHARS = 400_000;

/** Saves `text` as a file through a Blob URL (no server round trip; allowed under `default-src 'self'`). */
function download(text: string, fileName: string): void {
  const url = URL.createObjectURL(new Blob([text], { type: 'application/json' }));
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/**
 * The trace's JSON in Tempo's shape (fetched as JSON, exactly as the server writes it; the
 * timeline reads the protobuf answer) or OTLP's, as text, with a download of either.
 */
export function TraceJsonView(props: { traceId: string }) {
  const body = useAsync((signal) => fetchTraceJson(props.traceId, { signal }), [props.traceId]);
  if (body.status === 'loading') return <p class="loading">Loading the trace's JSON…</p>;
  if (body.status === 'error') return <ErrorBanner error={body.error} context="Could not load the trace's JSON" />;
  return <JsonText traceId={props.traceId} body={body.value} />;
}

function JsonText(props: { traceId: string; body: TraceByIdResponse }) {
  const [shape, setShape] = useState<JsonShape>('tempo');
  const text = useMemo(() => traceJsonText(props.body, shape), [props.body, shape]);
  const cut = text.length > SHOWN_CHARS;
  return (
    <div class="trace-json">
      <div class="json-tools" role="radiogroup" aria-label="JSON shape">
        <label>
          <input type="radio" name="json-shape" value="tempo" checked={shape === 'tempo'} onChange={() => setShape('tempo')} /> Tempo (
          <code>/api/v2/traces</code>: base64 ids)
        </label>
        <label>
          <input type="radio" name="json-shape" value="otlp" checked={shape === 'otlp'} onChange={() => setShape('otlp')} /> OTLP (
          <code>/v1/traces</code> export: hex ids)
        </label>
        <button type="button" class="json-download" onClick={() => download(text, traceJsonFileName(props.traceId, shape))}>
          Download {shape === 'otlp' ? 'OTLP' : 'Tempo'} JSON
        </button>
        <span class="muted">{plural(text.length, 'character')}</span>
      </div>
      {cut ? <p class="muted json-cut">Showing the first {SHOWN_CHARS.toLocaleString('en')} characters; the download has all of it.</p> : null}
      <pre class="json-text" tabIndex={0}>
        {cut ? text.slice(0, SHOWN_CHARS) : text}
      </pre>
    </div>
  );
}
