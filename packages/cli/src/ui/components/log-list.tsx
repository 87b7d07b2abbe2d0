import { anyValueToText, attrsToDisplay } from '../lib/any-value.ts';
import { formatUnixNanos } from '../lib/format.ts';
import { isSpanIdHex, isTraceIdHex } from '../lib/ids.ts';
import { traceHref } from '../lib/router.ts';
import { LOG_LEVELS, type UiLogRecord } from '../lib/zeroscope-api.ts';
import { Link } from './link.tsx';

/** A level from the API as a known class name, so data never picks a class. */
function levelClass(level: string): string {
  return (LOG_LEVELS as readonly string[]).includes(level) ? level : 'unspecified';
}

/**
 * Log records as rows: time, level, service, body and attributes, all rendered as text. With
 * `onSelectSpan` (the trace page) a record's span id selects that span; otherwise a record in a
 * trace links to the trace page.
 */
export function LogList(props: {
  logs: UiLogRecord[];
  label: string;
  onSelectSpan?: (spanId: string) => void;
  /** Span ids that exist on the page (the trace's spans); others are shown without a button. */
  knownSpans?: ReadonlySet<string>;
  empty?: string;
  /** Stacked rows for a narrow panel (span details): meta line over a full-width body. */
  compact?: boolean;
}) {
  if (props.logs.length === 0) return <p class="muted">{props.empty ?? 'No logs.'}</p>;
  if (props.compact) return <CompactLogList logs={props.logs} label={props.label} />;
  return (
    <table class="log-list" aria-label={props.label}>
      <tbody>
        {props.logs.map((log) => {
          const level = levelClass(log.level);
          const attrs = attrsToDisplay(log.attributes);
          return (
            <tr key={log.id} class={`log-row level-${level}`} data-log-id={log.id} data-span-id={log.spanId || undefined}>
              <td class="log-time mono">{formatUnixNanos(log.timeUnixNano)}</td>
              <td>
                <span class={`log-level level-${level}`}>{log.severityText || level}</span>
              </td>
              <td class="log-service">{log.serviceName}</td>
              <td class="log-body">
                <span class="log-text">{anyValueToText(log.body)}</span>
                {attrs.length ? (
                  <span class="log-attrs">
                    {attrs.map((a, i) => (
                      <span key={`${a.key}\u0000${i}`} class="log-attr">
                        {a.key}={a.value}
                      </span>
                    ))}
                  </span>
                ) : null}
              </td>
              <td class="log-link">
                <SpanRef log={log} onSelectSpan={props.onSelectSpan} knownSpans={props.knownSpans} />
              </td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}

/**
 * The narrow form: a table's five columns in a 400px panel leave the body a few pixels, which
 * wraps a message one or two characters a line; here the body gets the panel's whole width.
 */
function CompactLogList(props: { logs: UiLogRecord[]; label: string }) {
  return (
    <ol class="log-stack" aria-label={props.label}>
      {props.logs.map((log) => {
        const level = levelClass(log.level);
        const attrs = attrsToDisplay(log.attributes);
        return (
          <li key={log.id} class={`log-row level-${level}`} data-log-id={log.id}>
            <div class="log-meta">
              <span class={`log-level level-${level}`}>{log.severityText || level}</span>
              <span class="log-time mono">{formatUnixNanos(log.timeUnixNano)}</span>
              <span class="log-service">{log.serviceName}</span>
            </div>
            <div class="log-text">{anyValueToText(log.body)}</div>
            {attrs.length ? (
              <div class="log-attrs">
                {attrs.map((a, i) => (
                  <span key={`${a.key}\u0000${i}`} class="log-attr">
                    {a.key}={a.value}
                  </span>
                ))}
              </div>
            ) : null}
          </li>
        );
      })}
    </ol>
  );
}

function SpanRef(props: { log: UiLogRecord; onSelectSpan?: (spanId: string) => void; knownSpans?: ReadonlySet<string> }) {
  const { log, onSelectSpan, knownSpans } = props;
  const spanId = isSpanIdHex(log.spanId) ? log.spanId.toLowerCase() : '';
  if (onSelectSpan) {
    if (!spanId) return null;
    if (knownSpans && !knownSpans.has(spanId)) return <span class="mono muted">{spanId}</span>;
    return (
      <button type="button" class="linkish mono" onClick={() => onSelectSpan(spanId)} title="Show this span">
        {spanId}
      </button>
    );
  }
  if (!isTraceIdHex(log.traceId)) return <span class="muted">no trace</span>;
  return (
    <Link href={traceHref(log.traceId, spanId || undefined)} class="mono log-trace-link" title="Open the trace">
      {log.traceId.slice(0, 16)}…
    </Link>
  );
}
