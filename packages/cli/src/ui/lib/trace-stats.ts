/**
 * Jaeger's "trace statistics": per service and span name, how many spans, their total and self
 * time (the part of a span no child covers) and how many failed, so the question "where did the
 * time go" has a table answer.
 */
import type { UiSpan, UiTrace } from './trace-model.ts';

export interface SpanGroupStats {
  service: string;
  name: string;
  serviceIndex: number;
  count: number;
  totalNs: number;
  selfNs: number;
  minNs: number;
  maxNs: number;
  errors: number;
}

export interface ServiceTotals {
  service: string;
  serviceIndex: number;
  count: number;
  totalNs: number;
  selfNs: number;
  errors: number;
}

export interface TraceStats {
  /** By self time, largest first. */
  groups: SpanGroupStats[];
  /** By self time, largest first. */
  services: ServiceTotals[];
}

/**
 * A span's duration less the union of its children's intervals (clipped to the span): children
 * that overlap each other are not subtracted twice, and a child running past its parent's end
 * takes away only the part inside.
 */
export function selfTimeNs(span: UiSpan): number {
  if (span.children.length === 0) return span.durationNs;
  const start = span.startOffsetNs;
  const end = start + span.durationNs;
  // Children are sorted by start (trace-model.ts), so one sweep merges their intervals.
  let covered = 0;
  let runStart = -1;
  let runEnd = -1;
  for (const c of span.children) {
    const s = Math.max(start, c.startOffsetNs);
    const e = Math.min(end, c.startOffsetNs + c.durationNs);
    if (e <= s) continue;
    if (s > runEnd) {
      if (runEnd > runStart) covered += runEnd - runStart;
      runStart = s;
      runEnd = e;
    } else if (e > runEnd) runEnd = e;
  }
  if (runEnd > runStart) covered += runEnd - runStart;
  return Math.max(0, span.durationNs - covered);
}

/** The statistics of one trace. */
export function traceStats(trace: UiTrace): TraceStats {
  const groups = new Map<string, SpanGroupStats>();
  const services = new Map<string, ServiceTotals>();
  for (const span of trace.spans) {
    const self = selfTimeNs(span);
    const failed = span.status === 'error' ? 1 : 0;
    const key = `${span.serviceName}\u0000${span.name}`;
    let g = groups.get(key);
    if (!g) {
      g = { service: span.serviceName, name: span.name, serviceIndex: span.serviceIndex, count: 0, totalNs: 0, selfNs: 0, minNs: Infinity, maxNs: 0, errors: 0 };
      groups.set(key, g);
    }
    g.count++;
    g.totalNs += span.durationNs;
    g.selfNs += self;
    g.minNs = Math.min(g.minNs, span.durationNs);
    g.maxNs = Math.max(g.maxNs, span.durationNs);
    g.errors += failed;
    let s = services.get(span.serviceName);
    if (!s) services.set(span.serviceName, (s = { service: span.serviceName, serviceIndex: span.serviceIndex, count: 0, totalNs: 0, selfNs: 0, errors: 0 }));
    s.count++;
    s.totalNs += span.durationNs;
    s.selfNs += self;
    s.errors += failed;
  }
  const bySelf = <T extends { selfNs: number; totalNs: number }>(a: T, b: T) => b.selfNs - a.selfNs || b.totalNs - a.totalNs;
  return { groups: [...groups.values()].sort(bySelf), services: [...services.values()].sort(bySelf) };
}
