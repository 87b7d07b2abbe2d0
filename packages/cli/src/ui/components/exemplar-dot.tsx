import type { ChartExemplar } from '../lib/metrics-series.ts';
import { navigate, traceHref } from '../lib/router.ts';
import { clockOf } from '../lib/format.ts';

/**
 * An exemplar on a metrics chart or heatmap: a dot in its series' colour that opens the trace it
 * names (click, or Enter once focused), titled `label · time · trace id`. One owner for both
 * charts, so they behave and read alike.
 */
export function ExemplarDot(props: { exemplar: ChartExemplar; seriesIndex: number; cx: number; cy: number; color: string; label: string }) {
  const e = props.exemplar;
  const href = e.traceId ? traceHref(e.traceId, e.spanId) : undefined;
  const open = () => href && navigate(href);
  return (
    <circle
      class="metrics-exemplar"
      data-series-index={props.seriesIndex}
      data-trace-id={e.traceId}
      cx={props.cx}
      cy={props.cy}
      r={4.5}
      style={{ color: props.color }}
      role={href ? 'link' : undefined}
      tabIndex={href ? 0 : undefined}
      onClick={open}
      onKeyDown={(ev) => {
        if (ev.key === 'Enter') open();
      }}
    >
      <title>{`${props.label} · ${clockOf(e.t)}${e.traceId ? ` · trace ${e.traceId}` : ''}`}</title>
    </circle>
  );
}
