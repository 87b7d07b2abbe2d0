/** Tempo search results as table rows, newest first. */
import type { SearchResponse, SearchTrace, SpanSet } from './tempo-types.ts';
import { findAttr } from './any-value.ts';
import { isTraceIdHex, normalizeTraceId } from './ids.ts';
import { toNanos } from './format.ts';

export interface ResultRow {
  traceId: string;
  rootService: string;
  rootName: string;
  startUnixNano: string;
  durationMs: number | undefined;
  /** Spans that matched the query, summed over the span sets. */
  matched: number;
  /** Some returned span carries `status = error` (Tempo returns it when the query asked about it). */
  hasError: boolean;
}

function spanSetsOf(t: SearchTrace): SpanSet[] {
  if (t.spanSets?.length) return t.spanSets;
  return t.spanSet ? [t.spanSet] : [];
}

function toRow(t: SearchTrace): ResultRow {
  const sets = spanSetsOf(t);
  const matched = sets.reduce((n, s) => n + (s.matched ?? s.spans?.length ?? 0), 0);
  const hasError = sets.some((s) =>
    (s.spans ?? []).some((sp) => findAttr(sp.attributes, 'status') === 'error'),
  );
  return {
    traceId: normalizeTraceId(t.traceID),
    rootService: t.rootServiceName ?? '',
    rootName: t.rootTraceName ?? '',
    startUnixNano: t.startTimeUnixNano ?? '',
    durationMs: t.durationMs,
    matched,
    hasError,
  };
}

/** Rows for the results table: invalid ids dropped, newest trace first. */
export function resultRows(body: SearchResponse): ResultRow[] {
  return (body.traces ?? [])
    .filter((t) => typeof t.traceID === 'string' && isTraceIdHex(t.traceID))
    .map(toRow)
    .sort((a, b) => {
      const d = toNanos(b.startUnixNano) - toNanos(a.startUnixNano);
      return d > 0n ? 1 : d < 0n ? -1 : 0;
    });
}
