/**
 * A trace as a flame graph: spans merged by their call path (service and name at each level), so
 * a hundred identical calls become one wide frame. A frame's width is its spans' summed duration;
 * children of a frame whose spans ran in parallel can add up to more than the frame, and are then
 * scaled to fit it, keeping their proportions.
 */
import type { UiSpan, UiTrace } from './trace-model.ts';

export interface FlameFrame {
  service: string;
  name: string;
  serviceIndex: number;
  /** Spans merged into this frame. */
  count: number;
  totalNs: number;
  selfNs: number;
  errors: number;
  children: FlameFrame[];
}

/** A frame placed on the chart: x and width as fractions of the chart's width. */
export interface PlacedFrame {
  frame: FlameFrame;
  depth: number;
  x: number;
  width: number;
  /** Slash-joined indexes from the root: a stable id for zooming. */
  path: string;
}

/** Merges the trace's span tree by call path; the returned root stands for the whole trace. */
export function flameTree(trace: UiTrace, selfNs: (s: UiSpan) => number): FlameFrame {
  const root: FlameFrame = { service: '', name: 'trace', serviceIndex: -1, count: 0, totalNs: 0, selfNs: 0, errors: 0, children: [] };
  // Iterative: a very deep trace cannot overflow the stack.
  const stack: [UiSpan, FlameFrame][] = trace.roots.map((s) => [s, root]);
  const index = new Map<FlameFrame, Map<string, FlameFrame>>();
  while (stack.length) {
    const [span, parent] = stack.pop()!;
    let byKey = index.get(parent);
    if (!byKey) index.set(parent, (byKey = new Map()));
    const key = `${span.serviceName}\u0000${span.name}`;
    let frame = byKey.get(key);
    if (!frame) {
      frame = { service: span.serviceName, name: span.name, serviceIndex: span.serviceIndex, count: 0, totalNs: 0, selfNs: 0, errors: 0, children: [] };
      byKey.set(key, frame);
      parent.children.push(frame);
    }
    frame.count++;
    frame.totalNs += span.durationNs;
    frame.selfNs += selfNs(span);
    if (span.status === 'error') frame.errors++;
    for (const c of span.children) stack.push([c, frame]);
  }
  root.totalNs = root.children.reduce((n, f) => n + f.totalNs, 0);
  return root;
}

/** Frames narrower than this fraction of the chart are not placed (nor their children). */
export const MIN_FRAME_WIDTH = 0.0005;

/** Places `root`'s frames (root at depth 0, full width); children sorted by name for a stable picture. */
export function placeFrames(root: FlameFrame): PlacedFrame[] {
  const out: PlacedFrame[] = [];
  const stack: PlacedFrame[] = [{ frame: root, depth: 0, x: 0, width: 1, path: '0' }];
  while (stack.length) {
    const p = stack.pop()!;
    out.push(p);
    const kids = [...p.frame.children].sort((a, b) => (a.service + a.name < b.service + b.name ? -1 : 1));
    const sum = kids.reduce((n, k) => n + k.totalNs, 0);
    const scale = Math.max(p.frame.totalNs, sum) || 1;
    let x = p.x;
    kids.forEach((k, i) => {
      const width = (p.width * k.totalNs) / scale;
      if (width >= MIN_FRAME_WIDTH) stack.push({ frame: k, depth: p.depth + 1, x, width, path: `${p.path}/${i}` });
      x += width;
    });
  }
  return out;
}

/** The frame at `path` (from placeFrames), or undefined. */
export function frameAt(root: FlameFrame, path: string): FlameFrame | undefined {
  const parts = path.split('/').slice(1).map(Number);
  let frame: FlameFrame | undefined = root;
  for (const i of parts) {
    const kids: FlameFrame[] = [...(frame?.children ?? [])].sort((a, b) => (a.service + a.name < b.service + b.name ? -1 : 1));
    frame = kids[i];
    if (!frame) return undefined;
  }
  return frame;
}
