import { useMemo, useState } from 'preact/hooks';
import { frameAt, flameTree, placeFrames, type FlameFrame } from '../lib/flame-graph.ts';
import { formatDuration, plural } from '../lib/format.ts';
import { SERVICE_COLOURS, type UiTrace } from '../lib/trace-model.ts';
import { selfTimeNs } from '../lib/trace-stats.ts';

const FRAME_H = 22;

const describe = (f: FlameFrame) =>
  `${f.service} ${f.name}: ${plural(f.count, 'span')}, total ${formatDuration(f.totalNs)}, self ${formatDuration(f.selfNs)}${f.errors ? `, ${plural(f.errors, 'error')}` : ''}`;

/**
 * The trace as a flame graph (spans merged by call path, lib/flame-graph.ts): the root on top,
 * callees below, width by time. Clicking a frame zooms into it; the top frame zooms back out.
 */
export function FlameGraph(props: { trace: UiTrace }) {
  const root = useMemo(() => flameTree(props.trace, selfTimeNs), [props.trace]);
  const [zoom, setZoom] = useState('0');
  const focus = frameAt(root, zoom) ?? root;
  const placed = useMemo(() => placeFrames(focus), [focus]);
  const depth = placed.reduce((n, p) => Math.max(n, p.depth), 0) + 1;
  return (
    <div class="flame">
      <p class="muted flame-note">
        Spans merged by call path (service and name at each level); width is their summed duration. Click a frame to zoom in.
        {zoom !== '0' ? (
          <>
            {' '}
            <button type="button" class="flame-reset" onClick={() => setZoom('0')}>
              Reset zoom
            </button>
          </>
        ) : null}
      </p>
      <div class="flame-chart" role="tree" aria-label="Flame graph" style={{ height: `${depth * FRAME_H}px` }}>
        {placed.map((p) => {
          const f = p.frame;
          const isRoot = p.depth === 0;
          const colour = isRoot ? 'flame-root' : `svc-${f.serviceIndex % SERVICE_COLOURS}`;
          return (
            <div
              key={p.path}
              role="treeitem"
              class={`flame-frame ${colour}${f.errors ? ' has-errors' : ''}`}
              data-service={f.service}
              data-name={f.name}
              data-count={f.count}
              style={{ left: `${p.x * 100}%`, width: `${p.width * 100}%`, top: `${p.depth * FRAME_H}px` }}
              title={isRoot ? `whole trace: ${formatDuration(f.totalNs)}` : describe(f)}
              onClick={() => setZoom(isRoot ? zoom.split('/').slice(0, -1).join('/') || '0' : `${zoom}${p.path.slice(1)}`)}
            >
              <span class="flame-label">{isRoot ? (zoom === '0' ? 'trace' : `${focus.service} ${focus.name}`) : `${f.service} ${f.name}`}</span>
            </div>
          );
        })}
      </div>
    </div>
  );
}
