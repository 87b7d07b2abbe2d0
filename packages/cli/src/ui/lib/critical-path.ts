/**
 * The critical path of a trace: the chain of work that decided how long it took. Jaeger's
 * algorithm: start at the root's end and walk back in time; at each point the child that
 * finished last (before that point) is on the path, then continue from that child's start.
 * Gaps where no child was running belong to the parent itself.
 */
import type { UiSpan, UiTrace } from './trace-model.ts';

/** A stretch of time [startNs, endNs) (trace offsets) spent on the path in one span. */
export interface CriticalSegment {
  spanId: string;
  startNs: number;
  endNs: number;
}

export interface CriticalPath {
  /** Segments sorted by start time. */
  segments: CriticalSegment[];
  /** Every span with at least one segment. */
  spanIds: Set<string>;
}

const endOf = (s: UiSpan) => s.startOffsetNs + s.durationNs;

/**
 * Computes the critical path from the top-level span that ends last (the one that decided the
 * trace's end). Children that outlive their parent are cut at the parent's end, and children that
 * start after it are ignored, as Jaeger does for asynchronous work.
 */
export function criticalPath(trace: UiTrace): CriticalPath {
  const segments: CriticalSegment[] = [];
  let root: UiSpan | undefined;
  for (const r of trace.roots) if (!root || endOf(r) > endOf(root)) root = r;
  if (!root) return { segments, spanIds: new Set() };

  // An explicit stack instead of recursion: a chain of thousands of spans must not overflow.
  const stack: { span: UiSpan; bound: number }[] = [{ span: root, bound: endOf(root) }];
  while (stack.length) {
    const { span, bound } = stack.pop()!;
    const start = span.startOffsetNs;
    let cursor = Math.min(endOf(span), bound);
    const kids = span.children
      .filter((c) => c.startOffsetNs < cursor)
      .map((c) => ({ span: c, end: Math.min(endOf(c), cursor) }))
      .sort((a, b) => b.end - a.end || b.span.startOffsetNs - a.span.startOffsetNs);
    let i = 0;
    while (cursor > start) {
      // The child that finished last, no later than the cursor (sorted by end, descending).
      while (i < kids.length && kids[i].end > cursor) i++;
      if (i >= kids.length) break;
      const next = kids[i++];
      if (next.end < cursor) segments.push({ spanId: span.spanId, startNs: next.end, endNs: cursor });
      stack.push({ span: next.span, bound: next.end });
      cursor = Math.max(start, next.span.startOffsetNs);
    }
    if (cursor > start) segments.push({ spanId: span.spanId, startNs: start, endNs: cursor });
    // A zero-length span still counts as on the path when its parent waited on it.
    if (cursor === start && span.durationNs === 0) segments.push({ spanId: span.spanId, startNs: start, endNs: start });
  }
  segments.sort((a, b) => a.startNs - b.startNs || a.endNs - b.endNs);
  return { segments, spanIds: new Set(segments.map((s) => s.spanId)) };
}
