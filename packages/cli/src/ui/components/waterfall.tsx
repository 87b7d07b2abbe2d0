import type { RefObject } from 'preact';
import { useEffect, useLayoutEffect, useRef, useState } from 'preact/hooks';
import type { CriticalPath } from '../lib/critical-path.ts';
import { formatDuration } from '../lib/format.ts';
import { SERVICE_COLOURS, type UiSpan, type UiTrace } from '../lib/trace-model.ts';
import { timeTicks } from '../lib/time-ticks.ts';
import { rowWindow, scrollTopFor } from '../lib/virtual-window.ts';
import { TimeAxis } from './time-axis.tsx';

/** Row height in px; must match `.wf-row` in styles.css. */
export const ROW_HEIGHT = 26;
const INDENT_PX = 14;

export interface WaterfallProps {
  trace: UiTrace;
  /** Rows after collapsing, in tree order. */
  rows: UiSpan[];
  collapsed: ReadonlySet<string>;
  selectedId: string | undefined;
  /** The keyboard's row (arrow keys), marked and kept in view. */
  cursorId?: string | undefined;
  /** The scrolling element, for a caller that scrolls it too (the minimap). */
  bodyRef?: RefObject<HTMLDivElement | null>;
  matches: ReadonlySet<string>;
  critical: CriticalPath | undefined;
  onToggle(spanId: string): void;
  onSelect(spanId: string): void;
}

const pct = (n: number) => `${Math.max(0, Math.min(100, n))}%`;

/**
 * The span waterfall. Only the rows on screen (plus a margin) are in the DOM, so traces of
 * thousands of spans scroll smoothly; bars are placed with percentages computed here.
 */
export function Waterfall(props: WaterfallProps) {
  const { trace, rows } = props;
  const ownRef = useRef<HTMLDivElement>(null);
  const bodyRef = props.bodyRef ?? ownRef;
  const [scrollTop, setScrollTop] = useState(0);
  const [viewport, setViewport] = useState(600);

  useLayoutEffect(() => {
    const el = bodyRef.current;
    if (!el) return;
    const measure = () => setViewport(el.clientHeight || 600);
    measure();
    const ro = new ResizeObserver(measure);
    ro.observe(el);
    return () => ro.disconnect();
  }, []);

  // Bring the selected span (e.g. opened from ?span=) or the keyboard's row into view.
  const focusId = props.cursorId ?? props.selectedId;
  useEffect(() => {
    const el = bodyRef.current;
    if (!el || !focusId) return;
    const index = rows.findIndex((r) => r.spanId === focusId);
    if (index < 0) return;
    const top = scrollTopFor(index, ROW_HEIGHT, el.clientHeight, el.scrollTop);
    if (top !== el.scrollTop) el.scrollTop = top;
  }, [focusId]);

  const { first, last } = rowWindow(scrollTop, viewport, ROW_HEIGHT, rows.length);
  const total = trace.durationNs || 1;
  const ticks = timeTicks(trace.durationNs);
  const criticalBySpan = new Map<string, { startNs: number; endNs: number }[]>();
  for (const seg of props.critical?.segments ?? []) {
    const list = criticalBySpan.get(seg.spanId) ?? [];
    list.push(seg);
    criticalBySpan.set(seg.spanId, list);
  }

  return (
    <div
      class="waterfall"
      role="table"
      aria-label="Spans"
      aria-rowcount={rows.length}
      style={{ '--grid-step': `${(ticks.stepNs / total) * 100}%` }}
    >
      <div class="wf-head" role="row">
        <div class="wf-name-col" role="columnheader">Service · span</div>
        <div class="wf-bar-col" role="columnheader">
          <TimeAxis durationNs={trace.durationNs} ticks={ticks} />
        </div>
      </div>
      <div class="wf-body" ref={bodyRef} onScroll={(e) => setScrollTop(e.currentTarget.scrollTop)}>
        <div class="wf-spacer" style={{ height: `${rows.length * ROW_HEIGHT}px` }}>
          {rows.slice(first, last).map((span, i) => (
            <SpanRow
              key={span.spanId}
              span={span}
              top={(first + i) * ROW_HEIGHT}
              totalNs={total}
              collapsed={props.collapsed.has(span.spanId)}
              selected={span.spanId === props.selectedId}
              cursor={span.spanId === props.cursorId}
              matched={props.matches.has(span.spanId)}
              critical={criticalBySpan.get(span.spanId)}
              onToggle={props.onToggle}
              onSelect={props.onSelect}
            />
          ))}
        </div>
      </div>
    </div>
  );
}

interface RowProps {
  span: UiSpan;
  top: number;
  totalNs: number;
  collapsed: boolean;
  selected: boolean;
  cursor: boolean;
  matched: boolean;
  critical: { startNs: number; endNs: number }[] | undefined;
  onToggle(spanId: string): void;
  onSelect(spanId: string): void;
}

/**
 * Where a bar's duration label goes: after the bar; before it when the bar ends near the right
 * edge; inside it (light text) when the bar spans nearly the whole axis.
 */
function durationLabel(startPct: number, endPct: number): { cls: string; style: Record<string, string> } {
  if (endPct <= 85) return { cls: 'wf-duration', style: { left: `calc(${pct(endPct)} + 4px)` } };
  if (startPct >= 12) return { cls: 'wf-duration', style: { right: `calc(${pct(100 - startPct)} + 4px)` } };
  return { cls: 'wf-duration is-inside', style: { right: `calc(${pct(100 - endPct)} + 4px)` } };
}

function SpanRow(p: RowProps) {
  const { span } = p;
  const classes = ['wf-row'];
  if (span.status === 'error') classes.push('is-error');
  if (p.selected) classes.push('is-selected');
  if (p.cursor) classes.push('is-cursor');
  if (p.matched) classes.push('is-match');
  if (p.critical) classes.push('is-critical');
  if (span.isOrphan) classes.push('is-orphan');
  const hasKids = span.children.length > 0;
  const select = () => p.onSelect(span.spanId);
  const startPct = (span.startOffsetNs / p.totalNs) * 100;
  const widthPct = Math.max((span.durationNs / p.totalNs) * 100, 0.2);
  const colour = span.serviceIndex % SERVICE_COLOURS;
  const duration = formatDuration(span.durationNs);
  const label = durationLabel(startPct, startPct + widthPct);
  return (
    <div
      class={classes.join(' ')}
      role="row"
      tabIndex={0}
      aria-selected={p.selected}
      data-span-id={span.spanId}
      data-depth={span.depth}
      style={{ top: `${p.top}px` }}
      title={`${span.serviceName} · ${span.name} · ${span.kind} · ${duration}`}
      onClick={select}
      onKeyDown={(e) => {
        if (e.key === 'Enter' || e.key === ' ') {
          e.preventDefault();
          select();
        }
      }}
    >
      <div class="wf-name-col" role="cell">
        <span class="wf-indent" style={{ width: `${span.depth * INDENT_PX}px` }} />
        {hasKids ? (
          <button
            type="button"
            class="wf-toggle"
            aria-expanded={!p.collapsed}
            aria-label={p.collapsed ? 'Expand' : 'Collapse'}
            onClick={(e) => {
              e.stopPropagation();
              p.onToggle(span.spanId);
            }}
          >
            {p.collapsed ? '▸' : '▾'}
          </button>
        ) : (
          <span class="wf-toggle-space" />
        )}
        <span class={`wf-service-mark svc-${colour}`} aria-hidden="true" />
        {span.status === 'error' ? <span class="error-icon" title="Error status" aria-label="error">!</span> : null}
        {span.isOrphan ? <span class="orphan-mark" title="Parent span is missing from this trace">orphan</span> : null}
        <span class={`wf-service svc-text-${colour}`}>{span.serviceName}</span>
        <span class="wf-span-name">{span.name}</span>
        {p.collapsed ? <span class="wf-hidden-count">+{countDescendants(span)}</span> : null}
      </div>
      <div class="wf-bar-col" role="cell">
        <div
          class={`wf-bar svc-${colour}${span.status === 'error' ? ' is-error' : ''}`}
          style={{ left: pct(startPct), width: pct(widthPct) }}
        />
        {p.critical?.map((seg) => (
          <div
            key={seg.startNs}
            class="wf-critical"
            style={{ left: pct((seg.startNs / p.totalNs) * 100), width: pct(Math.max(((seg.endNs - seg.startNs) / p.totalNs) * 100, 0.2)) }}
          />
        ))}
        <span class={label.cls} style={label.style}>
          {duration}
        </span>
      </div>
    </div>
  );
}

function countDescendants(span: UiSpan): number {
  let n = 0;
  const stack = [...span.children];
  while (stack.length) {
    const s = stack.pop()!;
    n++;
    stack.push(...s.children);
  }
  return n;
}
