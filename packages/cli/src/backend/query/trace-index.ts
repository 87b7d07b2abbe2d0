/**
 * Per-trace lookups the evaluator needs: spans by id, the root, the trace's time bounds. Built
 * once per candidate trace; pure.
 */
import type { QuerySpan, QueryTrace } from '../model.ts';

export interface TraceIndex {
  trace: QueryTrace;
  byId: Map<string, QuerySpan>;
  /** The span without a parent (the earliest, if several); undefined until it has arrived. */
  root?: QuerySpan;
  startUnixNano: bigint;
  endUnixNano: bigint;
  /** Last end minus first start. */
  durationNanos: number;
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
