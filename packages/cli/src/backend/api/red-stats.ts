/**
 * RED (rate, errors, duration) per service and route from stored spans: every SERVER or
 * CONSUMER span that starts inside the window counts as one request to its service's
 * operation (the span name, which the framework sets to the route template or RPC method).
 */
import { SpanKind, StatusCode, type QuerySpan } from '../query/storage.ts';

/** A trace that shows what a row measured. */
export interface RedExample {
  traceId: string;
  spanId: string;
  durationNanos: number;
  error: boolean;
  startTimeUnixNano: string;
  /** Why this trace: the slowest, the latest error, or the latest request. */
  reason: 'slowest' | 'error' | 'latest';
}

/** One service/route row (ui/lib/zeroscope-api.ts restates it as the UI's view of the JSON). */
export interface RedRow {
  service: string;
  route: string;
  requests: number;
  errors: number;
  /** Requests per second over the window. */
  rate: number;
  /** errors / requests. */
  errorRate: number;
  p50Nanos: number;
  p95Nanos: number;
  p99Nanos: number;
  examples: RedExample[];
}

/** Nearest-rank percentile of sorted numbers (p in 0..100). */
export function percentileOfSorted(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return 0;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))];
}

interface Group {
  service: string;
  route: string;
  durations: number[];
  errors: number;
  slowest?: QuerySpan;
  latestError?: QuerySpan;
  latest?: QuerySpan;
}

/** Accumulates spans into RED rows. */
export class RedAccumulator {
  private readonly groups = new Map<string, Group>();

  constructor(
    private readonly window: { startUnixNano: bigint; endUnixNano: bigint },
    private readonly service?: string,
  ) {}

  add(span: QuerySpan): void {
    if (span.kind !== SpanKind.SERVER && span.kind !== SpanKind.CONSUMER) return;
    if (this.service !== undefined && span.serviceName !== this.service) return;
    if (span.startTimeUnixNano < this.window.startUnixNano || span.startTimeUnixNano > this.window.endUnixNano) return;
    const key = `${span.serviceName}\u0000${span.name}`;
    let g = this.groups.get(key);
    if (!g) this.groups.set(key, (g = { service: span.serviceName, route: span.name, durations: [], errors: 0 }));
    g.durations.push(span.durationNanos);
    const failed = span.statusCode === StatusCode.ERROR;
    if (failed) {
      g.errors++;
      if (!g.latestError || span.startTimeUnixNano > g.latestError.startTimeUnixNano) g.latestError = span;
    }
    if (!g.slowest || span.durationNanos > g.slowest.durationNanos) g.slowest = span;
    if (!g.latest || span.startTimeUnixNano > g.latest.startTimeUnixNano) g.latest = span;
  }

  /** The rows, by service then busiest route first. */
  rows(): RedRow[] {
    const seconds = Math.max(1e-9, Number(this.window.endUnixNano - this.window.startUnixNano) / 1e9);
    const rows = [...this.groups.values()].map((g): RedRow => {
      const sorted = [...g.durations].sort((a, b) => a - b);
      const examples: RedExample[] = [];
      const seen = new Set<string>();
      const addExample = (span: QuerySpan | undefined, reason: RedExample['reason']): void => {
        if (!span || seen.has(span.spanId)) return;
        seen.add(span.spanId);
        examples.push({
          traceId: span.traceId,
          spanId: span.spanId,
          durationNanos: span.durationNanos,
          error: span.statusCode === StatusCode.ERROR,
          startTimeUnixNano: String(span.startTimeUnixNano),
          reason,
        });
      };
      addExample(g.slowest, 'slowest');
      addExample(g.latestError, 'error');
      addExample(g.latest, 'latest');
      return {
        service: g.service,
        route: g.route,
        requests: sorted.length,
        errors: g.errors,
        rate: sorted.length / seconds,
        errorRate: g.errors / sorted.length,
        p50Nanos: percentileOfSorted(sorted, 50),
        p95Nanos: percentileOfSorted(sorted, 95),
        p99Nanos: percentileOfSorted(sorted, 99),
        examples,
      };
    });
    return rows.sort((a, b) => (a.service === b.service ? b.requests - a.requests || (a.route < b.route ? -1 : 1) : a.service < b.service ? -1 : 1));
  }
}
