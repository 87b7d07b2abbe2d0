/**
 * Per-trace lookups the evaluator needs: spans by id, the root, the trace's time bounds. Built
 * once per candidate trace; pure.
 */
import type { QuerySpan, QueryTrace } from './storage.ts';

export interface TraceIndex {
  trace: QueryTrace;
  byId: Map<string, QuerySpan>;
  /** The span without a parent (the earliest, if several); undefined until it has arrived. */
  root?: QuerySpan;
  startUnixNano: bigint;
  endUnixNano: bigint;
  /** Last end minus first start. */
  durationNanos: number;
  /** Built on first use by {@link childrenOf} and {@link nestedSetOf}. */
  children?: Map<string, QuerySpan[]>;
  nestedSet?: Map<QuerySpan, NestedSet>;
}

/** A span's place in the trace tree as Tempo numbers it (`span:nestedSetLeft` ...). */
export interface NestedSet {
  left: number;
  right: number;
  /** The parent's `left`; -1 for a root. */
  parent: number;
}

/** Indexes a trace; `trace.spans` must not be empty. */
export function indexTrace(trace: QueryTrace): TraceIndex {
  const byId = new Map<string, QuerySpan>();
  let root: QuerySpan | undefined;
  let start = trace.spans[0].startTimeUnixNano;
  let end = trace.spans[0].endTimeUnixNano;
  for (const span of trace.spans) {
    byId.set(span.spanId, span);
    if (span.startTimeUnixNano < start) start = span.startTimeUnixNano;
    if (span.endTimeUnixNano > end) end = span.endTimeUnixNano;
    if (span.parentSpanId === '' && (!root || span.startTimeUnixNano < root.startTimeUnixNano)) root = span;
  }
  return { trace, byId, root, startUnixNano: start, endUnixNano: end, durationNanos: Number(end - start) };
}

/** The span's parent within the trace, if stored. */
export function parentOf(ti: TraceIndex, span: QuerySpan): QuerySpan | undefined {
  return span.parentSpanId === '' ? undefined : ti.byId.get(span.parentSpanId);
}

/** Ancestors nearest first; stops on a cycle (bad data must not hang a query). */
export function ancestorsOf(ti: TraceIndex, span: QuerySpan): QuerySpan[] {
  const out: QuerySpan[] = [];
  const seen = new Set<QuerySpan>([span]);
  for (let p = parentOf(ti, span); p && !seen.has(p); p = parentOf(ti, p)) {
    seen.add(p);
    out.push(p);
  }
  return out;
}

/** The span's children within the trace, earliest first. */
export function childrenOf(ti: TraceIndex, span: QuerySpan): QuerySpan[] {
  if (!ti.children) {
    const children = new Map<string, QuerySpan[]>();
    for (const s of ti.trace.spans) {
      if (s.parentSpanId === '') continue;
      let list = children.get(s.parentSpanId);
      if (!list) children.set(s.parentSpanId, (list = []));
      list.push(s);
    }
    for (const list of children.values()) list.sort(byStart);
    ti.children = children;
  }
  return ti.children.get(span.spanId) ?? [];
}

/**
 * Nested-set numbers from a depth-first walk from each root (earliest first): a span's left is
 * counted on the way down, its right on the way back up, starting at 1. Spans not reachable from
 * a root (their parent was never stored) have none, as in Tempo.
 */
export function nestedSetOf(ti: TraceIndex, span: QuerySpan): NestedSet | undefined {
  if (!ti.nestedSet) {
    const out = new Map<QuerySpan, NestedSet>();
    let counter = 1;
    const roots = ti.trace.spans.filter((s) => s.parentSpanId === '').sort(byStart);
    // Iterative, so a deep trace cannot overflow the stack; `seen` guards against id cycles.
    for (const root of roots) {
      const stack: Array<{ span: QuerySpan; parent: number; entered: boolean }> = [{ span: root, parent: -1, entered: false }];
      while (stack.length > 0) {
        const top = stack[stack.length - 1]!;
        if (!top.entered) {
          if (out.has(top.span)) {
            stack.pop();
            continue;
          }
          top.entered = true;
          const entry = { left: counter++, right: 0, parent: top.parent };
          out.set(top.span, entry);
          const kids = childrenOf(ti, top.span);
          for (let i = kids.length - 1; i >= 0; i--) stack.push({ span: kids[i]!, parent: entry.left, entered: false });
        } else {
          out.get(top.span)!.right = counter++;
          stack.pop();
        }
      }
    }
    ti.nestedSet = out;
  }
  return ti.nestedSet.get(span);
}

function byStart(a: QuerySpan, b: QuerySpan): number {
  return a.startTimeUnixNano < b.startTimeUnixNano ? -1 : a.startTimeUnixNano > b.startTimeUnixNano ? 1 : a.spanId < b.spanId ? -1 : 1;
}
