import { formatMillis, formatTick, formatUnixNanos, toNanos } from '../lib/format.ts';
import { navigate, traceHref } from '../lib/router.ts';
import type { ResultRow } from '../lib/search-results.ts';
import { timeTicks } from '../lib/time-ticks.ts';

const W = 1000;
const H = 170;
const LEFT = 56;
const RIGHT = 16;
const TOP = 10;
const BOTTOM = 26;

/** "14:05:09.123" of unix nanoseconds. */
const clock = (ns: bigint) => formatUnixNanos(ns).slice(11);

/**
 * Jaeger's scatter of the results: each trace a dot at its start time (across) and duration
 * (up), red when it has errors; a click opens the trace. The duration axis has round steps.
 */
export function ResultsScatter(props: { rows: ResultRow[] }) {
  const rows = props.rows.filter((r) => r.startUnixNano && r.durationMs !== undefined);
  if (rows.length === 0) return null;
  const starts = rows.map((r) => toNanos(r.startUnixNano));
  let min = starts[0];
  let max = starts[0];
  for (const s of starts) {
    if (s < min) min = s;
    if (s > max) max = s;
  }
  const spanNs = Number(max - min);
  const maxMs = Math.max(...rows.map((r) => r.durationMs ?? 0), 1);
  const ticks = timeTicks(maxMs * 1e6, 4);
  // The axis ends on the first round step at or above the slowest trace, so no dot sits on the edge.
  const lastTick = ticks.ticksNs[ticks.ticksNs.length - 1] ?? 0;
  if (lastTick < maxMs * 1e6) ticks.ticksNs.push(lastTick + ticks.stepNs);
  const yMaxNs = ticks.ticksNs[ticks.ticksNs.length - 1];
  const plotW = W - LEFT - RIGHT;
  const plotH = H - TOP - BOTTOM;
  const x = (s: bigint) => LEFT + (spanNs > 0 ? (Number(s - min) / spanNs) * plotW : plotW / 2);
  const y = (ms: number) => TOP + plotH - ((ms * 1e6) / yMaxNs) * plotH;
  return (
    <figure class="results-scatter">
      <svg viewBox={`0 0 ${W} ${H}`} role="group" aria-label="Duration over start time of the results">
        {ticks.ticksNs.map((t) => (
          <g key={t} class="scatter-tick">
            <line x1={LEFT} x2={W - RIGHT} y1={y(t / 1e6)} y2={y(t / 1e6)} />
            <text x={LEFT - 6} y={y(t / 1e6) + 4} text-anchor="end">
              {t === 0 ? '0' : formatTick(t)}
            </text>
          </g>
        ))}
        <text class="scatter-time" x={LEFT} y={H - 6} text-anchor="start">
          {clock(min)}
        </text>
        {spanNs > 0 ? (
          <text class="scatter-time" x={W - RIGHT} y={H - 6} text-anchor="end">
            {clock(max)}
          </text>
        ) : null}
        {rows.map((r, i) => {
          const open = () => navigate(traceHref(r.traceId));
          return (
            <circle
              key={r.traceId}
              class={r.hasError ? 'scatter-dot is-error' : 'scatter-dot'}
              data-trace-id={r.traceId}
              cx={x(starts[i])}
              cy={y(r.durationMs ?? 0)}
              r={5}
              role="link"
              tabIndex={0}
              onClick={open}
              onKeyDown={(e) => {
                if (e.key === 'Enter') open();
              }}
            >
              <title>{`${r.rootService} ${r.rootName} · ${formatMillis(r.durationMs ?? 0)} · ${formatUnixNanos(r.startUnixNano)}`}</title>
            </circle>
          );
        })}
      </svg>
    </figure>
  );
}
