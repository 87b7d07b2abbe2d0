import { formatDuration, formatUnixNanos } from '../lib/format.ts';
import { traceHref } from '../lib/router.ts';
import { SERVICE_COLOURS, type UiSpan, type UiTrace } from '../lib/trace-model.ts';
import type { UiLogRecord } from '../lib/zeroscope-api.ts';
import { AttrTable } from './attr-table.tsx';
import { CopyButton } from './copy-button.tsx';
import { Link } from './link.tsx';
import { LogList } from './log-list.tsx';

/**
 * Everything about one span. All values are rendered as text. `logs` are the span's log records
 * (undefined where the backend keeps no logs: the section is left out).
 */
export function SpanDetails(props: { span: UiSpan; trace: UiTrace; logs?: UiLogRecord[]; onClose(): void; onSelect(spanId: string): void }) {
  const { span, trace } = props;
  const parent = span.parentSpanId ? trace.byId.get(span.parentSpanId) : undefined;
  return (
    <aside class="span-details" aria-label="Span details">
      <header class="sd-head">
        <div>
          <h2 class="sd-title">{span.name || '(unnamed span)'}</h2>
          <p class={`sd-subtitle svc-text-${span.serviceIndex % SERVICE_COLOURS}`}>{span.serviceName}</p>
        </div>
        <button type="button" class="sd-close" onClick={props.onClose} aria-label="Close details">
          ×
        </button>
      </header>
      <dl class="sd-facts">
        <dt>Service</dt>
        <dd class="sd-service">{span.serviceName}</dd>
        <dt>Kind</dt>
        <dd class="sd-kind">{span.kind}</dd>
        <dt>Status</dt>
        <dd class={`sd-status status-${span.status}`}>
          <span class="status-badge">{span.status}</span>
          {span.statusMessage ? <span class="sd-status-message">: {span.statusMessage}</span> : null}
        </dd>
        <dt>Duration</dt>
        <dd class="sd-duration">{formatDuration(span.durationNs)}</dd>
        <dt>Start</dt>
        <dd>
          +{formatDuration(span.startOffsetNs)} <span class="muted">({formatUnixNanos(span.startUnixNano)})</span>
        </dd>
        <dt>Span id</dt>
        <dd class="sd-id-line">
          <code class="sd-span-id">{span.spanId}</code> <CopyButton text={span.spanId} />
        </dd>
        <dt>Parent id</dt>
        <dd class="mono">
          {!span.parentSpanId ? (
            <span class="muted">root</span>
          ) : parent ? (
            <button type="button" class="linkish mono" onClick={() => props.onSelect(parent.spanId)}>
              {span.parentSpanId}
            </button>
          ) : (
            <span>
              {span.parentSpanId} <span class="orphan-mark">missing</span>
            </span>
          )}
        </dd>
        <dt>Scope</dt>
        <dd>
          {span.scopeName}
          {span.scopeVersion ? ` ${span.scopeVersion}` : ''}
        </dd>
      </dl>
      <section class="sd-attributes">
        <h3>Attributes ({span.attributes.length})</h3>
        <AttrTable attrs={span.attributes} label="Span attributes" />
      </section>
      {props.logs?.length ? (
        <section class="sd-logs">
          <h3>Logs ({props.logs.length})</h3>
          <LogList logs={props.logs} label="Span logs" compact />
        </section>
      ) : null}
      <section class="sd-resource">
        <h3>Resource</h3>
        <AttrTable attrs={span.resource} label="Resource attributes" />
      </section>
      <section class="sd-events-section">
        <h3>Events ({span.events.length})</h3>
        {span.events.length === 0 ? (
          <p class="muted">none</p>
        ) : (
          <ol class="sd-events">
            {span.events.map((ev, i) => (
              <li key={i}>
                <span class="sd-event-offset">+{formatDuration(ev.offsetNs)}</span> <strong>{ev.name}</strong>
                <AttrTable attrs={ev.attributes} empty="" label={`Event ${ev.name} attributes`} />
              </li>
            ))}
          </ol>
        )}
      </section>
      <section class="sd-links-section">
        <h3>Links ({span.links.length})</h3>
        {span.links.length === 0 ? (
          <p class="muted">none</p>
        ) : (
          <ul class="sd-links">
            {span.links.map((l, i) => (
              <li key={i}>
                {l.traceId ? (
                  <Link href={traceHref(l.traceId, l.spanId)} class="mono">
                    {l.traceId}
                    {l.spanId ? ` / ${l.spanId}` : ''}
                  </Link>
                ) : (
                  <span class="muted">(invalid link)</span>
                )}
                <AttrTable attrs={l.attributes} empty="" label="Link attributes" />
              </li>
            ))}
          </ul>
        )}
      </section>
    </aside>
  );
}
